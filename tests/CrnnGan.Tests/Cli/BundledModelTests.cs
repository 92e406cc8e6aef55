using CrnnGan.Generation;
using CrnnGan.Midi;

namespace CrnnGan.Tests.Cli;

[Collection(TorchCollection.Name)]
public class BundledModelTests
{
    [Fact]
    public void GenerateWithoutAModelWritesMusicFromTheBundledOne()
    {
        Assert.True(File.Exists(TrainedModel.BundledPath), $"the bundled model should be copied next to the program: {TrainedModel.BundledPath}");
        using var temp = new TempFolder();

        var result = CliRunner.Run("generate", "--count", "3", "--seed", "11", "--out", temp.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("crnngan-classical.bin", result.Output);
        var files = Directory.GetFiles(temp.Path, "*.mid");
        Assert.Equal(3, files.Length);
        var songs = files.Select(MidiFileReader.Read).ToList();
        Assert.All(songs, song => Assert.NotEmpty(song.Notes));
        Assert.All(songs.SelectMany(s => s.Notes), n => Assert.InRange(n.Pitch, 0, 127));
    }

    [Fact]
    public void QuantizeSnapsTheSongsToTheGridOnlyWhenAskedAndNamesABadGrid()
    {
        using var temp = new TempFolder();
        string own = Path.Combine(temp.Path, "own"), snapped = Path.Combine(temp.Path, "snapped");

        var plain = CliRunner.Run("generate", "--count", "2", "--seed", "5", "--out", own);
        var quantized = CliRunner.Run("generate", "--count", "2", "--seed", "5", "--out", snapped, "--quantize", "8th");
        var bad = CliRunner.Run("generate", "--count", "2", "--out", snapped, "--quantize", "17th");

        Assert.Equal(0, plain.ExitCode);
        Assert.Equal(0, quantized.ExitCode);
        var ownNotes = Directory.GetFiles(own, "*.mid").SelectMany(f => MidiFileReader.Read(f).Notes).ToList();
        var snappedNotes = Directory.GetFiles(snapped, "*.mid").SelectMany(f => MidiFileReader.Read(f).Notes).ToList();
        Assert.Contains(ownNotes, n => n.StartTick % 192 != 0); // the model's own timing
        Assert.All(snappedNotes, n => Assert.Equal(0, n.StartTick % 192));
        Assert.All(snappedNotes, n => Assert.True(n.LengthTicks >= 192 && n.LengthTicks % 192 == 0));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--quantize", bad.Error);
        Assert.Contains("17th", bad.Error);
    }

    [Fact]
    public void KeyAndRegister_MoveEachSongAsAWhole_IntoTheAskedKeyAndNearTheAskedPitch()
    {
        using var temp = new TempFolder();
        string own = Path.Combine(temp.Path, "own"), moved = Path.Combine(temp.Path, "moved");
        var asked = new MusicKey(2, Minor: true);

        var plain = CliRunner.Run("generate", "-n", "4", "-s", "7", "-o", own);
        var targeted = CliRunner.Run("generate", "-n", "4", "-s", "7", "-o", moved, "--key", "D minor", "--register", "A3");
        var withPrime = CliRunner.Run("generate", "-n", "1", "-o", moved, "--key", "D minor", "--prime", Path.Combine(own, "song-7-001.mid"));

        Assert.Equal(0, plain.ExitCode);
        Assert.Equal(0, targeted.ExitCode);
        Assert.Contains("each song moved as a whole to key D minor (a song that reads as major goes to the key with its notes, F major); " +
                        "mean pitch nearest A3 (57), by octaves", targeted.Output);
        foreach (string file in Directory.GetFiles(own, "*.mid"))
        {
            var before = MidiFileReader.Read(file).Notes;
            var after = MidiFileReader.Read(Path.Combine(moved, Path.GetFileName(file))).Notes;
            int shift = after[0].Pitch - before[0].Pitch;
            Assert.Equal(before.Select(n => n.Pitch + shift), after.Select(n => n.Pitch)); // the same song, moved
            Assert.Equal(before.Select(n => n.StartTick), after.Select(n => n.StartTick));
            // In D minor where the song reads as minor, else in F major (D minor's notes) where it reads as major.
            var expected = MusicKey.Estimate(before) is { Minor: false } ? asked.Relative : asked;
            if (MusicKey.Estimate(before) is not null) Assert.Equal(expected, MusicKey.Estimate(after));
            Assert.InRange(after.Average(n => n.Pitch), 57 - 6, 57 + 6);
        }
        Assert.Equal(2, withPrime.ExitCode);
        Assert.Contains("--key cannot be used with --prime", withPrime.Error);
    }

    [Fact]
    public void TheBundledModelSaysWhereItCameFrom()
    {
        using var model = TrainedModel.Load(TrainedModel.BundledPath);
        Assert.Contains("classical", model.Provenance);
        Assert.Equal(100, model.Config.Length);
    }
}
