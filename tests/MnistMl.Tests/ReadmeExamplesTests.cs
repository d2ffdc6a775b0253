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

    /// <summary>A split as MNIST's two gzip IDX files, images and labels.</summary>
    private static void WriteSplit(string folder, string prefix, MnistDataset data)
    {
        var (count, rows, columns) = ((uint)data.Count, (uint)data.Rows, (uint)data.Columns);
        File.WriteAllBytes(Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"), IdxBytes.Gzip([.. IdxBytes.Header(IdxBytes.UnsignedByte, count, rows, columns), .. data.Images.Span]));
        File.WriteAllBytes(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz"), IdxBytes.Gzip([.. IdxBytes.Header(IdxBytes.UnsignedByte, count), .. data.Labels.Span]));
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"^using [A-Za-z.]+;\s*(//.*)?$")]
    private static partial Regex UsingDirective();
}
