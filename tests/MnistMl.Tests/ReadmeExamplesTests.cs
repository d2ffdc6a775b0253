using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MnistMl.Data;
using MnistMl.Tests.Data;

namespace MnistMl.Tests;

/// <summary>The README's C# blocks, in order, as one program: they must compile and run as shown.</summary>
public sealed partial class ReadmeExamplesTests
{
    private const int TrainImages = 600;
    private const int TestImages = 200;

    [Fact]
    public void Every_csharp_block_of_the_README_compiles_and_runs_in_order_as_one_program()
    {
        var root = ChildProcess.RepositoryRoot();
        var blocks = CSharpBlock().Matches(File.ReadAllText(Path.Combine(root, "README.md"))).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 6, $"The README has {blocks.Count} C# blocks.");
        using var folder = new TempFolder();
        var data = Directory.CreateDirectory(Path.Combine(folder.Path, "mnist")).FullName;
        WriteSplit(data, "train", MnistTestData.Slice(MnistTestData.Train, 0, TrainImages));
        WriteSplit(data, "t10k", MnistTestData.Slice(MnistTestData.Test, 0, TestImages));
        var project = Directory.CreateDirectory(Path.Combine(folder.Path, "project")).FullName;
        File.WriteAllText(Path.Combine(project, "Program.cs"), Program(blocks));
        File.WriteAllText(Path.Combine(project, "ReadmeExamples.csproj"), ProjectFile(root));
        var work = Directory.CreateDirectory(Path.Combine(folder.Path, "work")).FullName;

        var (exitCode, output) = ChildProcess.DotnetRun(project, [], work, new Dictionary<string, string> { [MnistDataOptions.Defaults.EnvironmentVariable] = data });

        Assert.True(exitCode == 0, output);
        Assert.Equal(
            ["cnn.onnx", "cnn.weights", "curves.svg", "grid.svg", "mnist-mlnet.zip", "mnist.onnx", "mnist.zip", "report.html"],
            Directory.GetFiles(work).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>The blocks' bodies one after another as top-level statements, their using directives first.</summary>
    private static string Program(IReadOnlyList<string> blocks)
    {
        var usings = new SortedSet<string>(StringComparer.Ordinal);
        var bodies = new List<string>();
        foreach (var block in blocks)
        {
            var lines = block.Split('\n');
            usings.UnionWith(lines.Where(l => UsingDirective().IsMatch(l)).Select(l => l.Trim()));
            bodies.Add(string.Join('\n', lines.Where(l => !UsingDirective().IsMatch(l))));
        }

        return string.Join('\n', usings) + "\n\n" + string.Join("\n", bodies);
    }

    private static string ProjectFile(string root)
    {
        var versions = XDocument.Load(Path.Combine(root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <RuntimeIdentifier>$(NETCoreSdkRuntimeIdentifier)</RuntimeIdentifier>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Path.Combine(root, "src", "MnistMl", "MnistMl.csproj")}" />
                <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="{versions["Microsoft.ML.OnnxRuntime"]}" />
              </ItemGroup>
            </Project>
            """;
    }

    /// <summary>A split as MNIST's two gzip IDX files: images (magic 0x0803) and labels (0x0801), big-endian sizes.</summary>
    private static void WriteSplit(string folder, string prefix, MnistDataset data)
    {
        WriteIdx(Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"), 3, [data.Count, data.Rows, data.Columns], data.Images.Span);
        WriteIdx(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz"), 1, [data.Count], data.Labels.Span);
    }

    private static void WriteIdx(string path, byte rank, int[] dimensions, ReadOnlySpan<byte> values)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write([0, 0, 8, rank]);
        foreach (var dimension in dimensions)
        {
            gzip.Write([(byte)(dimension >> 24), (byte)(dimension >> 16), (byte)(dimension >> 8), (byte)dimension]);
        }

        gzip.Write(values);
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"^using [A-Za-z.]+;\s*(//.*)?$")]
    private static partial Regex UsingDirective();
}
