using CrnnGan.Cli;
using CrnnGan.Midi;
using CrnnGan.Tests.Data;
using Spectre.Console;

namespace CrnnGan.Tests.Cli;

public sealed class DownloadCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void List_ShowsEveryCorpusWithSizeAndLicence()
    {
        var result = CliRunner.Run("download", "--list");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("classical", result.Output);
        Assert.Contains("maestro", result.Output);
        Assert.Contains("CC BY-NC-SA 4.0", result.Output);
        Assert.Contains("~58.0 MB", result.Output);
        Assert.Contains("olofmogren", result.Output);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void UnknownName_IsABadCommandLineListingTheKnownNames()
    {
        var result = CliRunner.Run("download", "jazz", "--out", _folder.Path);

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("unknown corpus 'jazz'", result.Error);
        Assert.Contains("classical, maestro", result.Error);
    }

    [Fact]
    public void NoName_IsABadCommandLine()
    {
        var result = CliRunner.Run("download");

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("--list", result.Error);
    }

    [Fact]
    public void ExistingTarget_IsRefusedWithoutForce()
    {
        File.WriteAllText(_folder.File("classical/mine.txt"), "keep me");

        var result = CliRunner.Run("download", "classical", "--out", _folder.Path, "--url", "http://127.0.0.1:9/never-asked.zip");

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("--force", result.Error);
        Assert.True(File.Exists(_folder.File("classical/mine.txt")));
    }

    [Fact]
    public void Url_DownloadsAndUnpacksTheCorpus()
    {
        byte[] archive = DownloadTests.MakeArchive();
        using var server = new LoopbackHttpServer(request => CannedResponse.File(archive, request));

        var result = CliRunner.Run("download", "classical", "--out", _folder.Path, "--url", server.Url("/master.zip"));

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("unpacked 2 files into", result.Output);
        Assert.Contains("no checksum is known for classical", result.Output);
        Assert.Equal(2, MidiFileReader.Read(Path.Combine(_folder.Path, "classical", "bach", "air.mid")).Notes.Count);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void InteractiveConsole_ShowsProgressBarsAndFinishes()
    {
        byte[] archive = DownloadTests.MakeArchive();
        using var server = new LoopbackHttpServer(request => CannedResponse.File(archive, request));
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
        });

        int exitCode = CliApp.Run(["download", "classical", "--out", _folder.Path, "--url", server.Url("/master.zip")],
            new CliContext(console, output, error));

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("downloaded classical", output.ToString());
        Assert.Contains("unpacking: 2 of 2 files", output.ToString());
        Assert.True(File.Exists(Path.Combine(_folder.Path, "classical", "mozart", "k545.mid")));
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void NotFound_FailsWithOneLineNamingTheStatus()
    {
        using var server = new LoopbackHttpServer(_ => CannedResponse.NotFound());

        var result = CliRunner.Run("download", "maestro", "--out", _folder.Path, "--url", server.Url("/missing.zip"));

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains($"{server.Url("/missing.zip")}: HTTP 404 Not Found", result.Error);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
    }
}
