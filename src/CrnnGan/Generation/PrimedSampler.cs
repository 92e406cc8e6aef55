using CrnnGan.Data;
using CrnnGan.Midi;
using CrnnGan.Model;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Generation;

/// <summary>A continuation of a prime: the prime's notes, then G's, placed after the prime's last onset.</summary>
/// <param name="Continuation">G's events and notes as G wrote them, counted from the prime's last onset.</param>
/// <param name="ContinuationNotes">The continuation's notes where they sound in the written song.</param>
public sealed record PrimedSong(SongPrime Prime, GeneratedSong Continuation, IReadOnlyList<Note> ContinuationNotes)
{
    /// <summary>The prime's notes unchanged, then the continuation's.</summary>
    public IReadOnlyList<Note> Notes => [.. Prime.Notes, .. ContinuationNotes];
}

/// <summary>
/// Continues a piece: G's state is warmed on the prime's events, fed as pretraining feeds real events (scaled by the
/// model's scaling, with their pitch classes where G has a pitch-class head: see <see cref="Generator.Continue"/>), and G
/// then runs free from that state. Each song draws its song noise once, for prime and continuation alike; the time
/// staircase of a model that has one applies to the continuation's onsets, counted from the prime's last onset.
/// </summary>
public static class PrimedSampler
{
    /// <param name="songNoiseCandidates">1: each song's song noise drawn as always. More (with a G that has song noise):
    /// each song's song noise is the one of that many draws under which G, teacher forced over the prime, best predicts
    /// the prime's pitches (see <see cref="SongNoiseFit"/>).</param>
    /// <param name="labels">A conditioned G's label of each song; null: the mean of all labels.</param>
    public static IReadOnlyList<PrimedSong> Sample(Generator generator, FeatureScaling scaling, int tonesPerCell, SongPrime prime, int count,
        int length, NoiseScales? noiseScales = null, int songNoiseCandidates = 1, IReadOnlyList<int>? labels = null)
    {
        if (labels is not null && labels.Count != count) throw new ArgumentException($"one label per song: {count} songs, {labels.Count} labels", nameof(labels));
        ArgumentOutOfRangeException.ThrowIfLessThan(songNoiseCandidates, 1);
        ArgumentNullException.ThrowIfNull(prime);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (prime.Events.TonesPerCell != tonesPerCell)
            throw new ArgumentException($"the prime is encoded with {prime.Events.TonesPerCell} tone(s) per event, the model with {tonesPerCell}", nameof(prime));

        IReadOnlyList<GeneratedSong> continuations;
        using (var scope = NewDisposeScope())
        {
            var device = generator.parameters().First().device;
            var real = tensor(scaling.Scale(prime.Events), new long[] { 1, prime.EventCount, prime.Events.FeatureCount }, device: device);
            if (generator.Config.PitchClassOutputs > 0) real = new PitchClassHead(tonesPerCell, scaling).WithPitchClasses(real);
            if (generator.Choices is { } choices) real = choices.WithChoices(real);
            var primes = real.expand(count, -1, -1);
            continuations = SongSampler.Songs(generator, scaling, tonesPerCell, g => g.Continue(primes, length, noiseScales,
                songNoiseCandidates > 1 && g.Config.SongNoiseSize > 0 ? SongNoiseFit.Best(g, real, count, songNoiseCandidates) : null,
                SongSampler.OneHot(g, labels)), "continuation");
        }
        return continuations.Select(song => new PrimedSong(prime, song, Placed(song.Notes, prime))).ToList();
    }

    /// <summary>
    /// The continuation's notes moved to start at the prime's last onset. A note that would start at the same tick and
    /// pitch as one of the prime's is left out: written together they would merge into one note (one instrument cannot
    /// start a sounding pitch twice), and the prime's notes are kept as they are.
    /// </summary>
    private static List<Note> Placed(IReadOnlyList<Note> notes, SongPrime prime)
    {
        var primeStarts = prime.Notes.Select(n => (n.StartTick, n.Pitch)).ToHashSet();
        return notes.Select(n => n with { StartTick = n.StartTick + prime.LastOnsetTick })
            .Where(n => !primeStarts.Contains((n.StartTick, n.Pitch)))
            .ToList();
    }
}
