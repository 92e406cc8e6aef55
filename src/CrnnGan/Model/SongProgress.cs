using CrnnGan.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// How far a song has come and what it has been so far, read by G at every step (<see cref="ModelConfig.SongProgress"/>):
/// the song's traits (<see cref="SongTraits"/>, without the key) over the events read so far, normalised as the traits
/// G reads are (0 before the first event; at most <see cref="Limit"/> spreads from the mean), and the share of the song's events read.
/// </summary>
/// <remarks>
/// Why: G reads the traits its song should have, but free running it meets them loosely: its songs join more tones
/// into chords than real ones and spread their lengths, times and velocities less, and the two-sample classifier
/// finds them by that (docs/log/2026-12-07-song-progress.md). Teacher forced, the traits are those of the window G
/// reads, so what the window has been so far and what it must still be are bound together: reading both, G can learn
/// to make up the difference, and free running steer back towards its song's traits when its own draws drift. The
/// events read pass no gradient through these values (their draws pass none either).
/// </remarks>
public sealed class SongProgress : nn.Module
{
    /// <summary>Values G reads per step: the traits so far, then the share of the song read.</summary>
    public const int Count = SongTraits.Count + 1;

    /// <summary>Running sums per song: events, onsets, and over onsets log time, its square and on-grid times; over
    /// events log length, pitch and velocity and their squares.</summary>
    internal const int SumCount = 11;

    /// <summary>The most a value of the traits so far reads, in spreads of the training windows' traits from their mean.</summary>
    internal const float Limit = 4;

    private readonly Linear _input;

    public SongProgress(int hidden) : base(nameof(SongProgress))
    {
        _input = nn.Linear(Count, hidden, hasBias: false);
        RegisterComponents();
    }

    internal Linear Input => _input;

    /// <summary>What the progress (…, <see cref="Count"/>) adds to G's input layer before its ReLU.</summary>
    public Tensor InputOf(Tensor progress) => _input.call(progress);

    /// <summary>Each event's part of the running sums (songs, events, <see cref="SumCount"/>) of scaled one-tone events.</summary>
    internal static Tensor Sums(Tensor events, FeatureScaling scaling)
    {
        using var scope = NewDisposeScope();
        var (apart, logTime, onGrid, logLength, pitch, velocity) = SongTraits.PerEvent(events, scaling);
        return stack([ones_like(apart), apart, apart * logTime, apart * logTime.square(), apart * onGrid,
            logLength, logLength.square(), pitch, pitch.square(), velocity, velocity.square()], dim: -1).detach().MoveToOuterDisposeScope();
    }

    /// <summary>Teacher forced: the progress of every step of <paramref name="events"/> (songs, length, values) read in
    /// order, step t having read events 0 to t - 1 of a song of that length (songs, length, <see cref="Count"/>).</summary>
    public static Tensor Before(Tensor events, Tensor traitTable, FeatureScaling scaling)
    {
        using var scope = NewDisposeScope();
        long length = events.shape[1];
        var sums = Sums(events, scaling).cumsum(1);
        var before = cat([zeros_like(sums[.., ..1]), sums[.., ..(int)(length - 1)]], dim: 1);
        return Of(before, traitTable, length).MoveToOuterDisposeScope();
    }

    /// <summary>The progress (…, <see cref="Count"/>) of running sums (…, <see cref="SumCount"/>) in a song of
    /// <paramref name="length"/> events, normalised by the mean and spread of a G's trait table (see <see cref="GeneratorSongTraits"/>).</summary>
    public static Tensor Of(Tensor sums, Tensor traitTable, long length)
    {
        using var scope = NewDisposeScope();
        Tensor Sum(int i) => sums[TensorIndex.Ellipsis, i];
        var events = Sum(0).clamp_min(1);
        var onsets = Sum(1).clamp_min(1);
        var (timeMean, timeSpread) = Moments(Sum(2), Sum(3), onsets);
        var (lengthMean, lengthSpread) = Moments(Sum(5), Sum(6), events);
        var (pitchMean, pitchSpread) = Moments(Sum(7), Sum(8), events);
        var (velocityMean, velocitySpread) = Moments(Sum(9), Sum(10), events);
        var traits = stack([1 - Sum(1) / events, timeMean, timeSpread, Sum(4) / onsets, lengthMean, lengthSpread,
            pitchMean, pitchSpread, velocityMean, velocitySpread], dim: -1);
        var table = traitTable.to(traits.dtype);
        // Clamped: a trait all training windows share has a spread near 0, and so little as one own event may be far from it.
        var normalised = ((traits - table[SongTraits.TableRows, ..SongTraits.Count]) / table[SongTraits.TableRows + 1, ..SongTraits.Count]).clamp(-Limit, Limit);
        var read = Sum(0).gt(0).to(traits.dtype).unsqueeze(-1);
        return cat([normalised * read, (Sum(0) / length).unsqueeze(-1)], dim: -1).MoveToOuterDisposeScope();
    }

    private static (Tensor Mean, Tensor Spread) Moments(Tensor sum, Tensor sumOfSquares, Tensor count)
    {
        var mean = sum / count;
        return (mean, (sumOfSquares / count - mean.square()).clamp_min(0).sqrt());
    }
}
