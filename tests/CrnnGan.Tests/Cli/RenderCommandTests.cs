using CrnnGan.Cli;
using CrnnGan.Midi;
using CrnnGan.Tests.Audio;

namespace CrnnGan.Tests.Cli;

public sealed class RenderCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string WriteMelody(string name = "melody.mid")
    {
        string path = _folder.File(name);
        MidiFileWriter.Write(path, [new Note(0, 384, 60, 90), new Note(384, 384, 64, 90), new Note(768, 768, 67, 90)]);
        return path;
    }

    [Fact]
    public void Render_WritesAWavNextToTheMidiFileByDefault()
    {
        string midi = WriteMelody();

        var result = CliRunner.Run("render", midi);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        string wav = Path.ChangeExtension(midi, ".wav");
        Assert.Contains($"wrote {wav}: 0:02.3, stereo 44.1 kHz 16-bit, 3 notes", result.Output);
        var file = WavFile.Parse(File.ReadAllBytes(wav));
        Assert.Equal(2, file.Channels);
        Assert.InRange(file.Seconds, 2.298, 2.302);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void Out_CanNameAFileOrAFolderAndMonoGivesOneChannel()
    {
        string midi = WriteMelody();
        Directory.CreateDirectory(_folder.File("renders"));

        var toFile = CliRunner.Run("render", midi, "--out", _folder.File("elsewhere/preview.wav"), "--mono");
        var toFolder = CliRunner.Run("render", midi, "--out", _folder.File("renders"));

        Assert.Equal(ExitCodes.Success, toFile.ExitCode);
        Assert.Equal(1, WavFile.Parse(File.ReadAllBytes(_folder.File("elsewhere/preview.wav"))).Channels);
        Assert.Equal(ExitCodes.Success, toFolder.ExitCode);
        Assert.True(File.Exists(_folder.File("renders/melody.wav")));
    }

    [Fact]
    public void MissingFile_IsABadCommandLine()
    {
        var result = CliRunner.Run("render", _folder.File("nope.mid"));

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("nope.mid: no such file", result.Error);
    }

    [Fact]
    public void UnreadableMidi_FailsWithOneLineAndWritesNothing()
    {
        string garbage = _folder.File("garbage.mid");
        File.WriteAllText(garbage, "this is not a MIDI file");

        var result = CliRunner.Run("render", garbage);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.StartsWith("crnngan: error: ", result.Error);
        Assert.Contains("garbage.mid", result.Error);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Equal(["garbage.mid"], Directory.EnumerateFileSystemEntries(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void SongWithoutNotes_SaysSoAndWritesNothing()
    {
        string silent = _folder.File("silent.mid");
        MidiFileWriter.Write(silent, []);

        var result = CliRunner.Run("render", silent);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("no notes", result.Error);
        Assert.False(File.Exists(Path.ChangeExtension(silent, ".wav")));
    }
}
