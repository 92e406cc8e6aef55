using CrnnGan.Data;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// What stays fixed through a song, measured from its events (<c>model.song_traits</c>): how often tones join the
/// previous onset, the mean and spread of the log time between onsets and of the log tone length, the share of those
/// times on a sixteenth-note grid, and the mean and spread of pitch and of velocity. G reads a song's traits beside its
/// noise at every step: teacher forced, those of the real song it reads; free running, those of a real training window
/// drawn from a table G keeps (<see cref="GeneratorSongTraits.SetSongTraits"/>). With <c>model.song_line_traits</c>
/// also how its top line moves, and with <c>model.song_key_traits</c> its key.
/// </summary>
/// <remarks>
/// Why: pretrained on real windows, G learns to ignore its song noise (nothing in a window depends on it), so whether a
/// song is played or sequenced, slow or fast, legato or detached, wide or narrow, must be guessed again from G's own
/// last notes at every step. Free running, G then drifts (at full noise) or settles into one length and one time (at
/// less noise): within a song its lengths and times spread half as much as the corpus's, and the two-sample classifier
/// tells most of its songs from real ones by that (docs/log/2026-12-06-velocity-and-per-song-features.md). Read as
/// an input, a song's traits are learnt from every window in pretraining, and drawing them from real windows gives the
/// songs the corpus's spread of styles. The traits are statistics, not music: the table holds no notes.
/// </remarks>
public static class SongTraits
{
    /// <summary>Values per song without <c>model.song_line_traits</c> and <c>model.song_key_traits</c>.</summary>
    public const int Count = 10;

    /// <summary>Values per song: <see cref="Count"/>; with <paramref name="line"/> (<c>model.song_line_traits</c>)
    /// <see cref="LineCount"/> more, how the song's top line moves; and with <paramref name="key"/>
    /// (<c>model.song_key_traits</c>) last the share of the song's tones in each of the 12 pitch classes (C, C#, ...),
    /// which says its key.</summary>
    public static int CountFor(bool key, bool line = false) => Count + (line ? LineCount : 0) + (key ? 12 : 0);

    /// <summary>Of the moves of a song's top line (the highest pitch of each onset) from one onset to the next, the
    /// shares that repeat the pitch, step by 1-2 semitones and leap by 3-12 (as <c>evaluate</c>'s melody intervals).</summary>
    public const int LineCount = 3;

    /// <summary>Rows of the table G draws its free-running songs' traits from.</summary>
    public const int TableRows = 1024;

    private const double Quarter = EventLayout.NormalizedTicksPerQuarter;
    private const double Sixteenth = Quarter / 4;

    /// <summary>Each song's traits (songs, <see cref="CountFor"/>) of scaled one-tone events (songs, events, 4 or more values),
    /// unnormalised: chord share, log2 time (quarter note = 0) mean and spread, time on the grid, log2 length mean and
    /// spread, scaled pitch mean and spread, velocity / 127 mean and spread; with <paramref name="line"/> then the top
    /// line's repeats, steps and leaps (<see cref="LineCount"/>); with <paramref name="key"/> then the share of each
    /// pitch class.</summary>
    public static Tensor Of(Tensor events, FeatureScaling scaling, bool key = false, bool line = false)
    {
        using var scope = NewDisposeScope();
        var time = Unscale(events, EventLayout.TimeIndex(1), scaling.Time);
        var length = Unscale(events, EventLayout.LengthIndex(0), scaling.Length);
        var pitch = events[.., .., EventLayout.FrequencyIndex(0)];
        var velocity = Unscale(events, EventLayout.IntensityIndex(0), scaling.Intensity).div(127);

        var apart = time.ge(0.5).to(ScalarType.Float32); // times that start a new onset
        var chords = 1 - apart.mean([1L]);
        var logTime = time.clamp_min(1).div(Quarter).log2();
        var (timeMean, timeSpread) = Moments(logTime, apart);
        var offGrid = (time - (time / Sixteenth).round() * Sixteenth).abs();
        var onGrid = (offGrid.le(2).to(ScalarType.Float32) * apart).sum([1L]) / apart.sum([1L]).clamp_min(1);
        var all = ones_like(time);
        var (lengthMean, lengthSpread) = Moments(length.clamp_min(1).div(Quarter).log2(), all);
        var (pitchMean, pitchSpread) = Moments(pitch, all);
        var (velocityMean, velocitySpread) = Moments(velocity, all);
        var traits = stack([chords, timeMean, timeSpread, onGrid, lengthMean, lengthSpread, pitchMean, pitchSpread, velocityMean, velocitySpread], dim: 1);
        if (line) traits = cat([traits, TopLineMoves(Pitches(pitch, scaling), apart)], dim: 1);
        if (key) traits = cat([traits, PitchClassShares(pitch, scaling)], dim: 1);
        return traits.MoveToOuterDisposeScope();
    }

    /// <summary>The table of <see cref="TableRows"/> songs' traits from <paramref name="windows"/> (songs, events, values),
    /// rows taken in turn (repeated when there are fewer windows), with each trait's mean and spread over the table,
    /// which G normalises every song's traits by.</summary>
    public static (Tensor Table, Tensor Mean, Tensor Spread) Table(Tensor windows, FeatureScaling scaling, bool key = false, bool line = false)
    {
        using var scope = NewDisposeScope();
        var traits = Of(windows, scaling, key, line);
        var rows = arange(TableRows, device: windows.device).remainder(windows.shape[0]);
        var table = traits.index_select(0, rows);
        var mean = table.mean([0L]);
        var spread = table.std(0).clamp_min(1e-3);
        return (table.MoveToOuterDisposeScope(), mean.MoveToOuterDisposeScope(), spread.MoveToOuterDisposeScope());
    }

    /// <summary>(songs, 12): the share of each song's tones in each pitch class, from scaled frequencies (songs, events).</summary>
    private static Tensor PitchClassShares(Tensor scaledFrequency, FeatureScaling scaling) =>
        nn.functional.one_hot(Pitches(scaledFrequency, scaling).remainder(12), 12).to(ScalarType.Float32).mean([1L]);

    /// <summary>(songs, events): MIDI pitch numbers of scaled frequencies.</summary>
    private static Tensor Pitches(Tensor scaledFrequency, FeatureScaling scaling)
    {
        var warped = scaledFrequency.to(ScalarType.Float32) * scaling.Frequency.Scale + scaling.Frequency.Offset;
        var hz = (pow(2.0, warped) - 1) * FeatureScaling.FrequencyWarpReferenceHz;
        return (hz.clamp_min(1e-3) / 440).log2().mul(12).add(69).round().to(ScalarType.Int64);
    }

    /// <summary>(songs, <see cref="LineCount"/>): each song's top-line repeats, steps and leaps, from its pitches (songs,
    /// events) and whether each event starts a new onset (songs, events; 1 or 0). Counted on the CPU: the top line has
    /// as many notes as the song has onsets, which differs from song to song.</summary>
    private static Tensor TopLineMoves(Tensor pitches, Tensor apart)
    {
        int songs = (int)pitches.shape[0], events = (int)pitches.shape[1];
        long[] pitch = pitches.cpu().data<long>().ToArray();
        float[] starts = apart.to(ScalarType.Float32).cpu().data<float>().ToArray();
        var shares = new float[songs * LineCount];
        for (int s = 0; s < songs; s++)
        {
            var counts = new int[LineCount];
            int moves = 0;
            long? previousTop = null;
            long top = pitch[s * events];
            void Close()
            {
                if (previousTop is long before)
                {
                    long jump = Math.Abs(top - before);
                    moves++;
                    if (jump == 0) counts[0]++;
                    else if (jump <= 2) counts[1]++;
                    else if (jump <= 12) counts[2]++;
                }
                previousTop = top;
            }
            for (int e = 1; e < events; e++)
            {
                long p = pitch[s * events + e];
                if (starts[s * events + e] > 0.5) { Close(); top = p; }
                else top = Math.Max(top, p);
            }
            Close();
            for (int i = 0; i < LineCount; i++) shares[s * LineCount + i] = moves == 0 ? 0 : (float)counts[i] / moves;
        }
        return tensor(shares, new long[] { songs, LineCount }).to(apart.device);
    }

    /// <summary>Fills <paramref name="table"/> (a G's buffer: <see cref="TableRows"/> rows of traits, then their mean,
    /// then their spread) from real <paramref name="windows"/> (see <see cref="Table"/>).</summary>
    public static void Fill(Tensor table, Tensor windows, FeatureScaling scaling, bool key, bool line = false)
    {
        using var scope = NewDisposeScope();
        var (rows, mean, spread) = Table(windows.to(table.device), scaling, key, line);
        using var noGrad = no_grad();
        table.copy_(cat([rows, mean.unsqueeze(0), spread.unsqueeze(0)], dim: 0));
    }

    /// <summary>The traits of <paramref name="events"/> (songs, events, values), normalised by the mean and spread in <paramref name="table"/>.</summary>
    public static Tensor Normalised(Tensor table, Tensor events, FeatureScaling scaling, bool key, bool line = false)
    {
        using var scope = NewDisposeScope();
        return Normalise(table, Of(events, scaling, key, line)).MoveToOuterDisposeScope();
    }

    /// <summary>The traits of <paramref name="songs"/> rows of <paramref name="table"/> drawn at random, normalised.</summary>
    public static Tensor Draw(Tensor table, long songs)
    {
        using var scope = NewDisposeScope();
        var rows = randint(TableRows, new[] { songs }, device: table.device);
        return Normalise(table, table.index_select(0, rows)).MoveToOuterDisposeScope();
    }

    private static Tensor Normalise(Tensor table, Tensor traits) => (traits - table[TableRows]) / table[TableRows + 1];

    private static Tensor Unscale(Tensor events, int index, OffsetScale scale) =>
        events[.., .., index] * scale.Scale + scale.Offset;

    /// <summary>Mean and standard deviation over each song's events where <paramref name="weight"/> is 1.</summary>
    private static (Tensor Mean, Tensor Spread) Moments(Tensor values, Tensor weight)
    {
        var count = weight.sum([1L]).clamp_min(1);
        var mean = (values * weight).sum([1L]) / count;
        var spread = ((values - mean.unsqueeze(1)).square() * weight).sum([1L]).div(count).sqrt();
        return (mean, spread);
    }
}
