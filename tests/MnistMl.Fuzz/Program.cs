using MnistMl.Fuzz;
using SharpFuzz;

// mnistml-fuzz TARGET             run under afl-fuzz (reads each input from afl's shared memory)
// mnistml-fuzz TARGET FILE...     run the target once per file, as the tests replay the corpus
// mnistml-fuzz seeds FOLDER       write the seed corpus (committed under corpus/)
if (args is ["seeds", var folder])
{
    SeedCorpus.Write(folder);
    return 0;
}

if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: mnistml-fuzz TARGET [FILE...]; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}

if (args.Length > 1)
{
    foreach (var file in args[1..])
    {
        target(File.ReadAllBytes(file));
    }

    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target(copy.ToArray());
});
return 0;
