using System.CommandLine;
using System.Text.RegularExpressions;
using CrnnGan.Cli;

namespace CrnnGan.Tests.Cli;

/// <summary>The conventions every command keeps: messages in the user's terms, one help style, typo hints, aliases.</summary>
public sealed class CliConventionsTests
{
    private static readonly RootCommand Root = CliApp.BuildRootCommand(CliContext.ForWriters(TextWriter.Null, TextWriter.Null));

    private static readonly Type[] NumberTypes = [typeof(int), typeof(long), typeof(double)];

    /// <summary>Every option that takes a number, or one of a few words, with the malformed values to feed it.</summary>
    public static TheoryData<string, string, string> MalformedValues()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var command in Root.Subcommands)
        foreach (var option in command.Options)
        {
            var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
            string[] values = type == typeof(double) ? ["x", "1e999", "NaN"]
                : NumberTypes.Contains(type) ? ["x", "1.5", "99999999999999999999999", "12abc"]
                : option.Name is "--mode" or "--device" ? ["x", "CUDA"]
                : [];
            foreach (string value in values)
                data.Add(command.Name, option.Name, value);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedValues))]
    public void AMalformedValue_IsAUsageErrorNamingItsOption_InTheUsersTerms(string command, string option, string value)
    {
        var result = CliRunner.Run(command, option, value);

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains($"crnngan: error: {option}", result.Error);
        Assert.DoesNotMatch(@"System\.|`1|Exception|expected type", result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void TheMalformedValuesReachEveryNumberOption() =>
        Assert.True(MalformedValues().Count() >= 40, $"only {MalformedValues().Count()} cases");

    public static TheoryData<string> Commands() => [.. Root.Subcommands.Select(c => c.Name).Prepend("")];

    /// <summary>
    /// Placeholders are capitals (&lt;N&gt;, &lt;DIR&gt;, &lt;KEY=VALUE&gt;, &lt;NAME|FILE&gt;) or the lowercase words an option takes
    /// (&lt;gan|baseline&gt;); defaults are "[default: x]" in lowercase; help lines fit 120 columns when not on a terminal.
    /// </summary>
    [Theory]
    [MemberData(nameof(Commands))]
    public void Help_KeepsOnePlaceholderAndDefaultStyle(string command)
    {
        var result = CliRunner.Run(command == "" ? ["--help"] : [command, "--help"]);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var placeholders = Regex.Matches(result.Output, @"--[a-z-]+ <([^>]+)>").Select(m => m.Groups[1].Value).ToList();
        Assert.All(placeholders, p => Assert.Matches(@"^([A-Z]+([=-][A-Z]+)?(\|[A-Z]+)*|[a-z]+(\|[a-z]+)+)$", p));
        Assert.DoesNotContain("(default", result.Output);
        Assert.Equal(Regex.Matches(result.Output, "default").Count, Regex.Matches(result.Output, @"\[default: ").Count);
        Assert.DoesNotMatch(@"\[default: [A-Z][a-z]", result.Output);
        Assert.All(result.Output.Split('\n'), line => Assert.True(line.TrimEnd().Length <= CliContext.RedirectedHelpWidth, $"{line.Length}: {line}"));
        Assert.DoesNotContain("cuda", result.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("train", "--device", "cpu")]
    [InlineData("generate", "--max-rows", "3")]
    [InlineData("evaluate", "--segments-per-song", "3")]
    [InlineData("stats", "--write-demo", "x")]
    [InlineData("export", "--provenance", "x")]
    public void RarelyUsedOptions_AreHiddenFromHelpButAccepted(string command, string option, string value)
    {
        Assert.DoesNotContain(option, CliRunner.Run(command, "--help").Output);
        var parse = Root.Parse([command, option, value]);
        Assert.DoesNotContain(parse.UnmatchedTokens, token => token == option);
        Assert.DoesNotContain(parse.Errors, error => error.Message.Contains(option));
    }

    [Theory]
    [InlineData("generate", "-o", "--out")]
    [InlineData("generate", "-n", "--count")]
    [InlineData("generate", "-s", "--seed")]
    [InlineData("evaluate", "-n", "--count")]
    [InlineData("evaluate", "-s", "--seed")]
    [InlineData("train", "-o", "--out")]
    [InlineData("train", "-s", "--seed")]
    [InlineData("plot", "-o", "--out")]
    [InlineData("download", "-o", "--out")]
    [InlineData("render", "-o", "--out")]
    [InlineData("export", "-o", "--out")]
    [InlineData("pianoroll", "-o", "--out")]
    [InlineData("compare", "-o", "--out")]
    public void CommonOptions_HaveShortAliases(string command, string alias, string option)
    {
        var found = Root.Subcommands.Single(c => c.Name == command).Options.Single(o => o.Name == option);
        Assert.Contains(alias, found.Aliases);
        Assert.Matches($@"{alias}, {option}\b", CliRunner.Run(command, "--help").Output);
    }

    [Theory]
    [InlineData(new[] { "generat", "--count", "3" }, "unknown command 'generat'; did you mean generate?")]
    [InlineData(new[] { "trian" }, "unknown command 'trian'; did you mean train?")]
    [InlineData(new[] { "pinaoroll", "x.mid" }, "unknown command 'pinaoroll'; did you mean pianoroll?")]
    [InlineData(new[] { "generate", "--cout", "3" }, "unknown option '--cout' for generate; did you mean --count")]
    [InlineData(new[] { "train", "--epoch", "3" }, "unknown option '--epoch' for train; did you mean --epochs")]
    [InlineData(new[] { "--verison" }, "unknown option '--verison'; did you mean --version?")]
    [InlineData(new[] { "fly" }, "unknown command 'fly'")]
    public void AMistypedCommandOrOption_IsOneErrorWithWhatWasMeant(string[] args, string expected)
    {
        var result = CliRunner.Run(args);

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"crnngan: error: {expected}", lines[0]);
        Assert.StartsWith("Run 'crnngan", lines[1]);
        Assert.DoesNotContain("Required command", result.Error);
        if (args[0] == "fly") Assert.DoesNotContain("did you mean", lines[0]);
    }

    [Fact]
    public void NoCommand_ListsTheCommands()
    {
        var result = CliRunner.Run();
        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("no command given; the commands: stats, train, generate", result.Error);
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("cuda:0")]
    [InlineData("gpu")]
    public void DeviceOtherThanCpu_SaysTheBuildIsCpuOnly(string device)
    {
        var result = CliRunner.Run("train", "--device", device);
        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains($"--device {device}: this build runs on the CPU only", result.Error);
        Assert.Contains("TorchSharp-cuda", result.Error);
    }

    [Theory]
    [InlineData(new[] { "train", "--epochs", "999999999" }, "--epochs must be 1 to 100000, got 999999999")]
    [InlineData(new[] { "train", "--pretrain-epochs", "-1" }, "--pretrain-epochs must be 0 to 100000, got -1")]
    [InlineData(new[] { "train", "--threads", "5000" }, "--threads must be 1 to 1024, got 5000")]
    [InlineData(new[] { "train", "--hidden", "99999999999" }, "--hidden must be at most 2147483647, got 99999999999")]
    [InlineData(new[] { "generate", "--count", "100001" }, "--count must be 1 to 100000, got 100001")]
    [InlineData(new[] { "generate", "-n", "0" }, "--count must be 1 to 100000, got 0")]
    [InlineData(new[] { "generate", "--length", "100001" }, "--length must be 1 to 100000, got 100001")]
    [InlineData(new[] { "generate", "--seed", "-1" }, "--seed must be at least 0, got -1")]
    [InlineData(new[] { "evaluate", "x", "--real", "y", "--count", "0" }, "--count must be 1 to 100000, got 0")]
    public void Counts_AreBoundedWithAClearMessage(string[] args, string expected)
    {
        var result = CliRunner.Run(args);
        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains($"crnngan: error: {expected}", result.Error);
    }

    [Fact]
    public void ASettingsFileAskingForTooManyEpochs_FailsBeforeTraining()
    {
        var result = CliRunner.Run("train", "--set", "run.epochs=999999999", "--out", Path.Combine(Path.GetTempPath(), "crnngan-never-" + Guid.NewGuid()));
        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("run.epochs must be at most 100000, got 999999999", result.Error);
    }
}
