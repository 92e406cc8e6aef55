using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Midi;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Cli;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Generation;

/// <summary>Continuations: G warmed on a prime's real events, then running free.</summary>
[Collection(TorchCollection.Name)]
public sealed class PrimedSamplerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public PrimedSamplerTests() => TorchRuntime.EnsureLoaded();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void G_ReadsThePrimeAsTeacherForcingDoes_ItsFirstContinuedEventIsItsPredictionOfTheNext()
    {
        using var scope = NewDisposeScope();
        var config = TinyRuns.Config().With(PrimeFixtures.AllExtras).Networks;
        torch.manual_seed(4);
        using var g = new Generator(config);
        g.StartSongVelocities(0.3); // a song velocity that depends on the song noise, so it must be the same draw
        g.eval();
        var real = randn(3, 9, config.OutputCount);

        // One step of continuation draws the same random numbers as teacher forcing over the prime and one event more.
        torch.manual_seed(8);
        var continued = g.Continue(real[.., ..8], 1);
        torch.manual_seed(8);
        var predicted = g.TeacherForced(real)[.., 8..];
        Assert.Equal(new long[] { 3, 1, config.OutputCount }, continued.shape);
        Assert.True(continued.allclose(predicted, rtol: 1e-4, atol: 1e-5), "G's first continued event should be its teacher-forced prediction after the prime");

        // What G read matters: another prime of the same length, same noise, continues otherwise.
        torch.manual_seed(8);
        var other = g.Continue(real[.., 1..9], 1);
        Assert.False(continued.allclose(other, atol: 1e-4));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void AContinuation_HoldsThePrimesNotesUnchanged_ThenGsAfterItsLastOnset(int tones)
    {
        string[] settings = tones == 1 ? PrimeFixtures.AllExtras : ["model.tones_per_cell=3", "model.pitch_class_head=true", "model.song_noise=2"];
        using var model = TrainedModel.Load(PrimeFixtures.ModelFile(_folder.File("g.bin"), null, settings));
        var melody = PrimeFixtures.Melody(40);
        var prime = model.ReadPrime(PrimeFixtures.PrimeFile(_folder.File("prime.mid"), melody), events: 12);

        Assert.Equal(12, prime.EventCount);
        var expected = EventCodec.Decode(new EncodedSong(tones, EventCodec.Encode(MidiFileReader.Read(prime.Path), tones).Values[..(12 * prime.Events.FeatureCount)]));
        Assert.Equal(PrimeFixtures.Ordered(expected), PrimeFixtures.Ordered(prime.Notes));
        if (tones == 1) Assert.Equal(PrimeFixtures.AtCrnnGanResolution(melody, 12), PrimeFixtures.Ordered(prime.Notes));

        var songs = model.Continue(prime, count: 3, length: 20, seed: 5);
        Assert.Equal(3, songs.Count);
        long lastOnset = prime.Notes.Max(n => n.StartTick);
        Assert.Equal(lastOnset, prime.LastOnsetTick);
        foreach (var song in songs)
        {
            Assert.Equal(prime.Notes, song.Notes.Take(prime.Notes.Count));
            Assert.NotEmpty(song.ContinuationNotes);
            Assert.All(song.ContinuationNotes, n => Assert.True(n.StartTick >= lastOnset));
            Assert.Equal(20, song.Continuation.Events.EventCount);
        }
        Assert.NotEqual(songs[0].ContinuationNotes, songs[1].ContinuationNotes);

        var again = model.Continue(prime, count: 3, length: 20, seed: 5);
        Assert.Equal(songs.Select(s => s.Continuation.Events.Values), again.Select(s => s.Continuation.Events.Values));
        var otherSeed = model.Continue(prime, count: 3, length: 20, seed: 6);
        Assert.NotEqual(songs[0].Continuation.Events.Values, otherSeed[0].Continuation.Events.Values);
    }

    [Fact]
    public void FittedSongNoise_PredictsThePrimesPitchesBetterThanDrawnSongNoise()
    {
        using var scope = NewDisposeScope();
        var config = TinyRuns.Config().With(PrimeFixtures.AllExtras).Networks;
        torch.manual_seed(4);
        using var g = new Generator(config);
        g.eval();
        using var noGrad = no_grad();
        var prime = randn(1, 12, config.OutputCount);
        long[] pitch = [EventLayout.FrequencyIndex(0), .. Enumerable.Range(config.FeatureCount, config.PitchClassOutputs).Select(i => (long)i)];
        double PitchError(Tensor songNoise)
        {
            torch.manual_seed(9);
            var predicted = g.TeacherForced(prime.expand(songNoise.shape[0], -1, -1), songNoise);
            return (predicted[.., 1..] - prime[.., 1..]).index_select(2, tensor(pitch)).square().mean().item<float>();
        }

        torch.manual_seed(2);
        var fitted = SongNoiseFit.Best(g, prime, count: 16, candidates: 32);
        Assert.Equal(new long[] { 16, config.SongNoiseSize }, fitted.shape);
        torch.manual_seed(2);
        var drawn = rand(16, config.SongNoiseSize);
        Assert.True(PitchError(fitted) < PitchError(drawn), $"fitted {PitchError(fitted)} should beat drawn {PitchError(drawn)}");
        torch.manual_seed(2);
        Assert.True(fitted.equal(SongNoiseFit.Best(g, prime, count: 16, candidates: 32)).all().item<bool>(), "the same seed should fit the same song noise");
    }

    [Fact]
    public void APrime_ByDefaultTakesAllItsEventsUpToTheTrainingLength_AndItsTempo()
    {
        using var model = TrainedModel.Load(PrimeFixtures.ModelFile(_folder.File("g.bin"), null));
        var shortPrime = model.ReadPrime(PrimeFixtures.PrimeFile(_folder.File("short.mid"), PrimeFixtures.Melody(8, seed: 7), tempoBpm: 72), events: null);
        var longPrime = model.ReadPrime(PrimeFixtures.PrimeFile(_folder.File("long.mid"), PrimeFixtures.Melody(40), tempoBpm: 144), events: null);
        Assert.Equal(shortPrime.EventsInFile, shortPrime.EventCount);
        Assert.Equal(model.Config.Length, longPrime.EventCount);
        Assert.True(longPrime.EventsInFile > model.Config.Length);
        Assert.Equal(72, shortPrime.TempoBpm);
        Assert.Equal(144, longPrime.TempoBpm);
    }

    [Fact]
    public void PrimesThatCannotContinue_GiveErrorsNamingTheFileAndWhy()
    {
        using var model = TrainedModel.Load(PrimeFixtures.ModelFile(_folder.File("g.bin"), null));
        string empty = _folder.File("empty.mid");
        File.WriteAllBytes(empty, []);
        string garbage = _folder.File("garbage.mid");
        File.WriteAllText(garbage, "not music at all");
        string silent = PrimeFixtures.PrimeFile(_folder.File("silent.mid"), []);
        string drums = PrimeFixtures.PrimeFile(_folder.File("drums.mid"), [new Note(0, 96, 36, 100, Channel: 9)]);
        string shortFile = PrimeFixtures.PrimeFile(_folder.File("short.mid"), PrimeFixtures.Melody(5, seed: 9));

        foreach (var (path, events, reason) in new (string, int?, string)[]
                 {
                     (empty, null, "empty"), (garbage, null, "cannot be read as MIDI"), (silent, null, "no notes"),
                     (drums, null, "only percussion"), (shortFile, 30, "fewer than the 30 asked for"),
                     (_folder.File("missing.mid"), null, "no such file"), (_folder.Path, null, "is a folder"),
                 })
        {
            var error = Assert.Throws<PrimeException>(() => model.ReadPrime(path, events));
            Assert.StartsWith($"prime {path}: ", error.Message);
            Assert.Contains(reason, error.Message);
        }
    }
}
