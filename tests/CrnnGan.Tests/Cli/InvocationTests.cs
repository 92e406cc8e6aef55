using CrnnGan.Cli;

namespace CrnnGan.Tests.Cli;

/// <summary>Hints are spelled the way the user started crnngan, read from the process's command line and its parent's.</summary>
public sealed class InvocationTests
{
    [Theory]
    // dotnet path/CrnnGan.Cli.dll train ...
    [InlineData(new[] { "/usr/share/dotnet/dotnet", "src/CrnnGan.Cli/bin/Release/net10.0/CrnnGan.Cli.dll", "train", "--epochs", "2" },
        new[] { "bash" }, 3, "dotnet src/CrnnGan.Cli/bin/Release/net10.0/CrnnGan.Cli.dll")]
    [InlineData(new[] { "dotnet", "exec", "/opt/crnn gan/CrnnGan.Cli.dll", "generate" }, new[] { "bash" }, 1, "dotnet exec '/opt/crnn gan/CrnnGan.Cli.dll'")]
    // dotnet run --project src/CrnnGan.Cli -c Release -- train ...: the apphost, whose parent is dotnet run
    [InlineData(new[] { "/w/src/CrnnGan.Cli/bin/Release/net10.0/CrnnGan.Cli", "train", "--epochs", "2" },
        new[] { "dotnet", "run", "--project", "src/CrnnGan.Cli", "-c", "Release", "--", "train", "--epochs", "2" }, 3,
        "dotnet run --project src/CrnnGan.Cli -c Release --")]
    [InlineData(new[] { "/w/bin/CrnnGan.Cli", "train" }, new[] { "/usr/bin/dotnet", "run", "train" }, 1, "dotnet run --")]
    // the installed dotnet tool, found on PATH, or any path to the executable as typed
    [InlineData(new[] { "crnngan", "train" }, new[] { "-bash" }, 1, "crnngan")]
    [InlineData(new[] { "./bin/crnngan", "train" }, new[] { "zsh" }, 1, "./bin/crnngan")]
    // a local tool: dotnet crnngan train
    [InlineData(new[] { "dotnet", "crnngan", "train" }, new[] { "bash" }, 1, "dotnet crnngan")]
    public void TheCommandIsSpelledAsTyped(string[] own, string[] parent, int argumentCount, string expected) =>
        Assert.Equal(expected, Invocation.FromCommandLines(own, parent, argumentCount));

    [Fact]
    public void WithoutACommandLine_TheCallerFallsBack() => Assert.Null(Invocation.FromCommandLines(null, null, 0));

    [Fact]
    public void HintsUseTheContextsProgram()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = CliContext.ForWriters(output, error) with { Program = "dotnet x/CrnnGan.Cli.dll" };

        int exit = CliApp.Run(["download", "maestr"], context);

        Assert.Equal(ExitCodes.BadUsage, exit);
        Assert.Contains("did you mean maestro?", error.ToString());
        Assert.Contains("(dotnet x/CrnnGan.Cli.dll download --list describes them)", error.ToString());
    }
}
