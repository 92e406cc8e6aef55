using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// The label (composer or genre) a conditioned G and D take: a one-hot per song, (songs, <see cref="ModelConfig.LabelCount"/>).
/// G reads it beside its noise at every step (as it reads the song noise); D reads it beside every event. A batch of
/// real songs carries it as trailing columns of every event (see <see cref="Training.WindowBatcher"/>), which
/// <see cref="Split"/> takes off.
/// </summary>
public static class Conditioning
{
    /// <summary>(songs, <paramref name="labelCount"/>): 1 at each song's label.</summary>
    public static Tensor OneHot(IReadOnlyList<int> labels, int labelCount, Device? device = null)
    {
        var values = new float[labels.Count * labelCount];
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] < 0 || labels[i] >= labelCount)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"a label is 0 to {labelCount - 1}");
            values[i * labelCount + labels[i]] = 1;
        }
        return tensor(values, new long[] { labels.Count, labelCount }, device: device);
    }

    /// <summary>Events (songs, length, values) with each song's label (songs, labels) beside every event; the events
    /// alone when <paramref name="labels"/> is null.</summary>
    public static Tensor Beside(Tensor events, Tensor? labels) =>
        labels is null ? events : cat([events, labels.unsqueeze(1).expand(-1, events.shape[1], -1)], dim: -1);

    /// <summary>A batch with its labels as the last <paramref name="labelCount"/> columns of every event: the events, and
    /// the labels (songs, labels), read off the first event. With no labels, the batch itself and null.</summary>
    public static (Tensor Events, Tensor? Labels) Split(Tensor batch, int labelCount)
    {
        if (labelCount == 0) return (batch, null);
        long values = batch.shape[2] - labelCount;
        return (batch[.., .., ..(int)values], batch[.., 0, (int)values..]);
    }
}
