using static TorchSharp.torch;

namespace CrnnGan.Training;

/// <summary>
/// An epoch visits every song once in shuffled batches, one random window of the current length per song
/// (the paper's code). The shuffle and windows of epoch e depend only on (seed, e), so a resumed run sees the
/// same batches as an uninterrupted one.
/// </summary>
public sealed class WindowBatcher
{
    private readonly IReadOnlyList<float[]> _songs;
    private readonly int _featureCount;
    private readonly int _batch;
    private readonly int _seed;
    private readonly IReadOnlyList<int>? _labels;
    private readonly int _labelCount;

    /// <param name="labels">A conditioned run's label of each song: each batch then holds, beside every event, its
    /// song's label as a one-hot of <paramref name="labelCount"/> values (see <see cref="Model.Conditioning.Split"/>).</param>
    public WindowBatcher(IReadOnlyList<float[]> songs, int featureCount, int batch, int seed, IReadOnlyList<int>? labels = null, int labelCount = 0)
    {
        if (songs.Count == 0) throw new ArgumentException("no songs to batch");
        if (labels is not null && labels.Count != songs.Count) throw new ArgumentException("one label per song", nameof(labels));
        _songs = songs;
        _labels = labels;
        _labelCount = labels is null ? 0 : labelCount;
        _featureCount = featureCount;
        _batch = Math.Min(batch, songs.Count);
        _seed = seed;
    }

    /// <summary>The batcher of a run with <paramref name="config"/> on <paramref name="data"/>'s training songs.</summary>
    public static WindowBatcher For(TrainingConfig config, TrainingData data) =>
        new(data.Train, data.FeatureCount, config.Optimisation.Batch, config.Seed, data.TrainLabels, data.Labels?.Count ?? 0);

    /// <summary>Full batches per epoch; the songs left over after the last full batch wait for the next shuffle.</summary>
    public int BatchesPerEpoch => _songs.Count / _batch;

    public int BatchSize => _batch;

    /// <summary>Batches of shape (batch, length, features), skipping the first <paramref name="skip"/> (for resuming mid-epoch).</summary>
    public IEnumerable<Tensor> Epoch(int epoch, int length, Device device, int skip = 0)
    {
        var random = new Random(DeterministicSeed.Of(_seed, epoch));
        int[] order = Enumerable.Range(0, _songs.Count).ToArray();
        random.Shuffle(order);
        for (int b = 0; b < BatchesPerEpoch; b++)
        {
            var windows = order.AsSpan(b * _batch, _batch);
            float[] buffer = new float[_batch * length * _featureCount];
            for (int i = 0; i < windows.Length; i++)
            {
                float[] song = _songs[windows[i]];
                int events = song.Length / _featureCount;
                int start = random.Next(events - length + 1);
                Array.Copy(song, start * _featureCount, buffer, i * length * _featureCount, length * _featureCount);
            }
            var labels = _labels is null ? null : windows.ToArray().Select(i => _labels[i]).ToList();
            if (b < skip) continue;
            var batch = tensor(buffer, new long[] { _batch, length, _featureCount }, device: device);
            yield return labels is null ? batch : WithLabels(batch, labels, _labelCount);
        }
    }

    /// <summary>Fixed windows (the same every epoch) of every song, in batches, for validation.</summary>
    /// <param name="labels">Each song's label, put beside its events as in <see cref="Epoch"/>; null: none.</param>
    public static IEnumerable<Tensor> Fixed(IReadOnlyList<float[]> songs, int featureCount, int batch, int length, int seed, Device device,
        IReadOnlyList<int>? labels = null, int labelCount = 0)
    {
        var random = new Random(DeterministicSeed.Of(seed, -1));
        var windows = songs.Select((song, index) => (Song: song, Index: index, Start: random.Next(song.Length / featureCount - length + 1))).ToList();
        foreach (var chunk in windows.Chunk(Math.Max(1, batch)))
        {
            float[] buffer = new float[chunk.Length * length * featureCount];
            for (int i = 0; i < chunk.Length; i++)
                Array.Copy(chunk[i].Song, chunk[i].Start * featureCount, buffer, i * length * featureCount, length * featureCount);
            var events = tensor(buffer, new long[] { chunk.Length, length, featureCount }, device: device);
            yield return labels is null ? events : WithLabels(events, chunk.Select(w => labels[w.Index]).ToList(), labelCount);
        }
    }

    private static Tensor WithLabels(Tensor events, IReadOnlyList<int> labels, int labelCount)
    {
        using var scope = NewDisposeScope();
        using var oneHot = Model.Conditioning.OneHot(labels, labelCount, events.device);
        var result = Model.Conditioning.Beside(events, oneHot).contiguous();
        events.Dispose();
        return result.MoveToOuterDisposeScope();
    }
}
