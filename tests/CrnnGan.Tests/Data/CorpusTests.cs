using CrnnGan.Data;
using CrnnGan.Midi;

namespace CrnnGan.Tests.Data;

public sealed class CorpusTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "crnngan-tests", Guid.NewGuid().ToString("N"), "classical");

    public CorpusTests()
    {
        // classical/<composer>/*.mid, as in the paper's data, with an unreadable file, an empty one and duplicates.
        for (int i = 0; i < 20; i++)
            WriteSong(Path.Combine(_root, i % 2 == 0 ? "bach" : "mozart", $"piece{i:D2}.mid"), pitch: 40 + i);
        File.Copy(Path.Combine(_root, "bach", "piece00.mid"), Path.Combine(_root, "mozart", "copy-of-bach.mid"));
        File.Copy(Path.Combine(_root, "bach", "piece00.mid"), Path.Combine(_root, "bach", "zz-second-copy.MID"));
        File.WriteAllText(Path.Combine(_root, "mozart", "notes.mid"), "this is not MIDI");
        File.WriteAllBytes(Path.Combine(_root, "bach", "empty.mid"), []);
        File.WriteAllText(Path.Combine(_root, "bach", "readme.txt"), "not a MIDI file name, never read");
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_root)!, recursive: true);

    [Fact]
    public void ReadsEverySongWithComposerAndGenreFromItsFolders()
    {
        var corpus = Corpus.Load(_root, new CorpusOptions(Seed: 1));

        Assert.Equal(20, corpus.SongCount);
        var all = corpus.Train.Concat(corpus.Validation).Concat(corpus.Test).ToList();
        Assert.Equal(10, all.Count(s => s.Composer == "bach"));
        Assert.Equal(10, all.Count(s => s.Composer == "mozart"));
        Assert.All(all, s => Assert.Equal("classical", s.Genre));
        Assert.All(all, s => Assert.Equal(24, s.Song.Notes.Count));
    }

    [Fact]
    public void TakesGenreFromTheFolderAboveTheComposer()
    {
        var corpus = Corpus.Load(Path.GetDirectoryName(_root)!);
        Assert.All(corpus.Train, s => Assert.Equal("classical", s.Genre));
        Assert.Contains(corpus.Train.Concat(corpus.Test).Concat(corpus.Validation), s => s.Composer == "mozart");
    }

    [Fact]
    public void SkipsAndReportsUnreadableFilesWithTheirReason()
    {
        var corpus = Corpus.Load(_root);

        Assert.Equal(2, corpus.Skipped.Count);
        Assert.Contains(corpus.Skipped, s => s.Path.EndsWith("empty.mid") && s.Reason.Contains("empty"));
        Assert.Contains(corpus.Skipped, s => s.Path.EndsWith("notes.mid") && s.Reason.Contains("not a MIDI file"));
    }

    [Fact]
    public void DropsByteIdenticalCopiesBeforeSplitting()
    {
        var corpus = Corpus.Load(_root);

        Assert.Equal(2, corpus.Duplicates.Count);
        Assert.All(corpus.Duplicates, d => Assert.EndsWith(Path.Combine("bach", "piece00.mid"), d.KeptPath));
        var hashes = corpus.Train.Concat(corpus.Validation).Concat(corpus.Test).Select(s => s.ContentHash).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public void TheSplitIsSeededDisjointAndSizedByTheFractions()
    {
        var a = Corpus.Load(_root, new CorpusOptions(Seed: 5, ValidationFraction: 0.2, TestFraction: 0.1));
        var b = Corpus.Load(_root, new CorpusOptions(Seed: 5, ValidationFraction: 0.2, TestFraction: 0.1), filesDone: null);
        var other = Corpus.Load(_root, new CorpusOptions(Seed: 6, ValidationFraction: 0.2, TestFraction: 0.1));

        Assert.Equal((14, 4, 2), (a.Train.Count, a.Validation.Count, a.Test.Count));
        Assert.Equal(a.Test.Select(s => s.RelativePath), b.Test.Select(s => s.RelativePath));
        Assert.Equal(a.Train.Select(s => s.RelativePath), b.Train.Select(s => s.RelativePath));
        Assert.NotEqual(a.Train.Select(s => s.RelativePath), other.Train.Select(s => s.RelativePath));
        Assert.Empty(a.Train.Select(s => s.RelativePath).Intersect(a.Test.Select(s => s.RelativePath)));
        Assert.Empty(a.Validation.Select(s => s.RelativePath).Intersect(a.Test.Select(s => s.RelativePath)));
    }

    [Fact]
    public void ReportsProgressForEveryFile()
    {
        int reports = 0;
        Corpus.Load(_root, filesDone: new SyncProgress(() => Interlocked.Increment(ref reports)));
        Assert.Equal(24, reports); // 20 songs, 2 copies, 2 unreadable; readme.txt is not a MIDI file name
    }

    [Fact]
    public void AMissingFolderOrBadFractionsAreRefused()
    {
        Assert.Throws<DirectoryNotFoundException>(() => Corpus.Load(Path.Combine(_root, "nope")));
        Assert.Throws<ArgumentException>(() => Corpus.Load(_root, new CorpusOptions(ValidationFraction: 0.6, TestFraction: 0.5)));
    }

    private static void WriteSong(string path, int pitch)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var notes = Enumerable.Range(0, 24).Select(i => new Note(i * 192L, 192, pitch + i % 5, 80)).ToList();
        MidiFileWriter.Write(path, notes);
    }

    private sealed class SyncProgress(Action report) : IProgress<int>
    {
        public void Report(int value) => report();
    }
}
