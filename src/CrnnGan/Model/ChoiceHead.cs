using CrnnGan.Data;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// G chooses some of an event's values from a table instead of saying them as one number (<c>model.pitch_choice</c>:
/// the pitch among the 128 MIDI pitches; <c>model.time_choice</c>: the time since the previous onset among multiples
/// of a grid; <c>model.length_choice</c>: the tone's length likewise; <c>model.velocity_choice</c>: the velocity among 1 to 127). G's output holds a score (logit) per table
/// entry beside the event's features; each step it takes the entry whose score plus Gumbel noise is highest, which draws the entry with the softmax of the scores as its
/// probability (the Gumbel-max trick), writes that entry's value into the feature and a one-hot of it beside the
/// features, and reads both back at the next step. Real events get the one-hot of their nearest entry, so D and G's
/// pretraining see the same inputs on both sides, and G is pretrained by the cross-entropy of its scores.
/// </summary>
/// <remarks>
/// Why: a value trained by the mean squared error is the average of what could come next. On the classical corpus the
/// next pitch is many-valued, and a G pretrained so guessed 9-11% of next pitches and, free running, repeated a few
/// (docs/log/2026-12-05-next-event-predictor.md); a categorical draw keeps the possibilities apart. The draw is not
/// differentiable: G's adversarial gradient passes it as if the one-hot were the softmax of the noisy scores
/// (straight-through Gumbel-softmax, Jang et al. 2017). The events stay continuous values and G and D recurrent.
/// </remarks>
public sealed class ChoiceHead
{
    /// <summary>One chosen feature: its index in the event, its table of scaled values, where its scores lie in G's
    /// output, and which feature it is.</summary>
    public sealed record Column(int Index, float[] Table, int Offset, ChosenFeature Feature);

    /// <summary>Time entries beyond a whole note (384 x 4 ticks): 1.5, 2, 3 and 4 whole notes.</summary>
    private static readonly int[] LongTimes = [2304, 3072, 4608, 6144];
    private const int WholeNote = 4 * EventLayout.NormalizedTicksPerQuarter;

    private readonly Tensor[] _tables;

    private ChoiceHead(IReadOnlyList<Column> columns, int featureCount)
    {
        Columns = columns;
        FeatureCount = featureCount;
        _tables = columns.Select(c => tensor(c.Table)).ToArray();
    }

    public IReadOnlyList<Column> Columns { get; }

    /// <summary>The width of an event before the scores: features and pitch-class outputs.</summary>
    public int FeatureCount { get; }

    /// <summary>How many scores G emits per step for <paramref name="pitch"/>, a time grid and a length grid of so many
    /// ticks (0: none) and <paramref name="velocity"/>.</summary>
    public static int Count(bool pitch, int timeGrid, int lengthGrid = 0, bool velocity = false) =>
        (pitch ? Tuning.MaxPitch + 1 : 0) + (timeGrid > 0 ? TimeTicks(timeGrid).Length : 0) + (lengthGrid > 0 ? LengthTicks(lengthGrid).Length : 0)
        + (velocity ? Velocities : 0);

    /// <summary>The velocities G can choose: 1 to 127 (0 would be no note).</summary>
    public const int Velocities = 127;

    /// <summary>The tone lengths G can choose: as <see cref="TimeTicks"/> without 0.</summary>
    public static int[] LengthTicks(int grid) => TimeTicks(grid)[1..];

    /// <summary>The times G can choose: multiples of the grid up to a whole note, then a few longer ones.</summary>
    public static int[] TimeTicks(int grid)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grid, 1);
        return [.. Enumerable.Range(0, WholeNote / grid + 1).Select(k => k * grid), .. LongTimes];
    }

    /// <summary>The head of a G with <paramref name="config"/> (null when it chooses nothing), with tables in the scaled units of <paramref name="scaling"/>.</summary>
    public static ChoiceHead? For(ModelConfig config, FeatureScaling scaling)
    {
        if (!config.PitchChoice && config.TimeChoiceGrid == 0 && config.LengthChoiceGrid == 0 && !config.VelocityChoice) return null;
        int before = config.FeatureCount + config.PitchClassOutputs;
        var columns = new List<Column>();
        int offset = before;
        if (config.LengthChoiceGrid > 0)
        {
            var table = LengthTicks(config.LengthChoiceGrid).Select(t => scaling.Length.Forward(t)).ToArray();
            columns.Add(new Column(EventLayout.LengthIndex(0), table, offset, ChosenFeature.Length));
            offset += table.Length;
        }
        if (config.PitchChoice)
        {
            var table = Enumerable.Range(Tuning.MinPitch, Tuning.MaxPitch + 1)
                .Select(p => scaling.Frequency.Forward(FeatureScaling.WarpFrequency(Tuning.PitchToFrequency(p)))).ToArray();
            columns.Add(new Column(EventLayout.FrequencyIndex(0), table, offset, ChosenFeature.Pitch));
            offset += table.Length;
        }
        if (config.TimeChoiceGrid > 0)
        {
            var table = TimeTicks(config.TimeChoiceGrid).Select(t => scaling.Time.Forward(t)).ToArray();
            columns.Add(new Column(EventLayout.TimeIndex(1), table, offset, ChosenFeature.Time));
            offset += table.Length;
        }
        if (config.VelocityChoice)
        {
            var table = Enumerable.Range(1, Velocities).Select(v => scaling.Intensity.Forward(v)).ToArray();
            columns.Add(new Column(EventLayout.IntensityIndex(0), table, offset, ChosenFeature.Velocity));
            offset += table.Length;
        }
        return new ChoiceHead(columns, before);
    }

    /// <summary>
    /// One step: G's raw output (batch, outputs) and its scores plus Gumbel noise (<see cref="NoisyScores"/>) to the
    /// event G writes and reads back: each chosen feature's table value and the one-hot of its entry in place of the
    /// scores. Under autograd the one-hot passes the gradient of the softmax of the noisy scores (straight through).
    /// </summary>
    public Tensor Step(Tensor raw, Tensor noisyScores)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor> { raw[.., ..FeatureCount] };
        var values = new Tensor[Columns.Count];
        for (int i = 0; i < Columns.Count; i++)
        {
            var (_, table, offset, _) = Columns[i];
            var noisy = noisyScores[.., (offset - FeatureCount)..(offset - FeatureCount + table.Length)];
            var soft = noisy.softmax(1);
            var hard = nn.functional.one_hot(noisy.argmax(1), table.Length).to(soft.dtype);
            var chosen = hard + (soft - soft.detach());
            parts.Add(chosen);
            values[i] = chosen.mm(_tables[i].to(raw.device).unsqueeze(1));
        }
        var emitted = cat(parts, dim: 1);
        return ReplaceColumns(emitted, values).MoveToOuterDisposeScope();
    }

    /// <summary>The gradient of G's raw output at one step from that of the event it emitted, as autograd gives it
    /// through <see cref="Step"/>: <paramref name="noisyScores"/> are the step's scores plus their noise.</summary>
    public Tensor Backward(Tensor emittedGradient, Tensor noisyScores)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor> { emittedGradient[.., ..FeatureCount].clone() };
        for (int i = 0; i < Columns.Count; i++)
        {
            var (index, table, offset, _) = Columns[i];
            var soft = noisyScores[.., (offset - FeatureCount)..(offset - FeatureCount + table.Length)].softmax(1);
            var dChosen = emittedGradient[.., offset..(offset + table.Length)]
                          + emittedGradient[.., index..(index + 1)] * _tables[i].to(soft.device).unsqueeze(0);
            parts.Add(soft * (dChosen - (dChosen * soft).sum(1, keepdim: true)));
            parts[0][.., index] = 0; // the raw value of a chosen feature is not used
        }
        return cat(parts, dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>Scales, in place, each chosen feature's share of Gumbel noise (..., scores) by its scale in <paramref name="scales"/>.</summary>
    public void ScaleNoise(Tensor gumbel, NoiseScales scales)
    {
        foreach (var column in Columns)
        {
            double scale = scales.Of(column.Feature);
            int from = column.Offset - FeatureCount;
            if (scale != 1) gumbel[TensorIndex.Ellipsis, from..(from + column.Table.Length)].mul_(scale);
        }
    }

    /// <summary>
    /// Nucleus sampling (<see cref="NoiseScales.TopP"/>): sets one step's Gumbel noise (batch, scores), in place, to minus
    /// infinity at the entries that each feature of <paramref name="which"/> given a share leaves out: all but its
    /// likeliest entries that together hold the share, their probabilities the softmax of G's raw scores at the
    /// feature's noise scale. Returns <paramref name="gumbel"/>.
    /// </summary>
    public Tensor CutTails(Tensor raw, Tensor gumbel, NoiseScales scales, Func<ChosenFeature, bool> which)
    {
        foreach (var (_, table, offset, feature) in Columns.Where(c => which(c.Feature)))
        {
            double share = scales.TopP.Of(feature), scale = scales.Of(feature);
            if (share >= 1 || scale == 0) continue; // at scale 0 the highest score is taken anyway
            if (!(share > 0)) throw new ArgumentException($"a top-p share must be above 0, got {share} for {NoiseScales.Name(feature)}", nameof(scales));
            using var scope = NewDisposeScope();
            var probabilities = raw[.., offset..(offset + table.Length)].div(scale).softmax(1);
            var (sorted, order) = probabilities.sort(1, descending: true);
            var outside = (sorted.cumsum(1) - sorted).ge(share); // the likeliest entry has 0 before it: always kept
            var cut = zeros_like(outside).scatter_(1, order, outside);
            gumbel[.., (offset - FeatureCount)..(offset - FeatureCount + table.Length)].masked_fill_(cut, double.NegativeInfinity);
        }
        return gumbel;
    }

    /// <summary>Scores plus noise of one step, as <see cref="Step"/> compares them (batch, scores): what the tape keeps.</summary>
    public Tensor NoisyScores(Tensor raw, Tensor gumbel) => raw[.., FeatureCount..] + gumbel;

    /// <summary>Real events (batch, length, features and pitch-class outputs) with the one-hot of each chosen feature's nearest entry appended.</summary>
    public Tensor WithChoices(Tensor events)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor> { events };
        for (int i = 0; i < Columns.Count; i++)
            parts.Add(nn.functional.one_hot(Nearest(events[.., .., Columns[i].Index], i), Columns[i].Table.Length).to(events.dtype));
        return cat(parts, dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>G's raw output (batch, length, outputs) as the events it stands for, without the scores: each chosen
    /// feature the value of its highest score (teacher forced: G's best guess).</summary>
    public Tensor Decode(Tensor raw)
    {
        using var scope = NewDisposeScope();
        var values = Columns.Select((c, i) => _tables[i].to(raw.device)[raw[.., .., c.Offset..(c.Offset + c.Table.Length)].argmax(-1)].unsqueeze(-1)).ToArray();
        return ReplaceColumns(raw[.., .., ..FeatureCount], values).MoveToOuterDisposeScope();
    }

    /// <summary>An event G emitted (with one-hots) without them: the features and pitch-class outputs.</summary>
    public Tensor Strip(Tensor emitted) => emitted[.., .., ..FeatureCount];

    /// <summary>
    /// The teacher-forced next-event loss: the mean squared error of the features G says as numbers (not of the chosen
    /// ones, whose raw outputs go unused) plus the cross-entropy of each chosen feature's scores against the real entry.
    /// </summary>
    public Tensor NextEventLoss(Tensor raw, Tensor real)
    {
        using var scope = NewDisposeScope();
        var said = Enumerable.Range(0, FeatureCount).Where(i => Columns.All(c => c.Index != i)).Select(i => (long)i).ToArray();
        var index = tensor(said, device: raw.device);
        // With every feature chosen there is nothing said as a number (the mean of nothing would be NaN).
        var loss = said.Length > 0 ? nn.functional.mse_loss(raw.index_select(-1, index), real.index_select(-1, index)) : zeros(1, device: raw.device).squeeze();
        foreach (var (_, table, offset, _) in Columns)
        {
            var scores = raw[.., .., offset..(offset + table.Length)].flatten(0, 1);
            var target = real[.., .., offset..(offset + table.Length)].argmax(-1).flatten();
            loss = loss + nn.functional.cross_entropy(scores, target);
        }
        return loss.MoveToOuterDisposeScope();
    }

    private Tensor Nearest(Tensor values, int column)
    {
        var table = _tables[column].to(values.device);
        return (values.unsqueeze(-1) - table).abs().argmin(-1);
    }

    /// <summary>Puts each column's value (…, 1) at its feature index in <paramref name="events"/> (…, width).</summary>
    private Tensor ReplaceColumns(Tensor events, Tensor[] values)
    {
        var result = events.clone();
        for (int i = 0; i < Columns.Count; i++)
            result[TensorIndex.Ellipsis, Columns[i].Index] = values[i].squeeze(-1);
        return result;
    }
}
