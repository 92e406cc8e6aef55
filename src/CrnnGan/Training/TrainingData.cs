using static TorchSharp.torch;
using CrnnGan.Data;
using CrnnGan.Midi;

namespace CrnnGan.Training;

/// <summary>The songs a run trains and validates on, encoded and scaled, with the scaling that undoes it.</summary>
public sealed class TrainingData
{
    private TrainingData(string description, int tonesPerCell, FeatureScaling scaling, IReadOnlyList<float[]> train,
        IReadOnlyList<float[]> validation, int tooShort, double? tempoBpm)
    {
        TempoBpm = tempoBpm;
        Description = description;
        TonesPerCell = tonesPerCell;
        Scaling = scaling;
        Train = train;
        Validation = validation;
        TooShort = tooShort;
    }

    public string Description { get; }
    public int TonesPerCell { get; }
    public int FeatureCount => EventLayout.FeatureCount(TonesPerCell);
    public FeatureScaling Scaling { get; }

    /// <summary>Scaled songs, each row-major events x features, each at least the run's full length.</summary>
    public IReadOnlyList<float[]> Train { get; }
    public IReadOnlyList<float[]> Validation { get; }

    /// <summary>The training songs' most common tempo (<see cref="SongTempo.MostCommon"/>: weighted by quarter notes),
    /// stored with the model as the tempo generate writes by default; null when no training song holds a note.</summary>
    public double? TempoBpm { get; }

    /// <summary>Songs left out because they are shorter than the training length.</summary>
    public int TooShort { get; }

    /// <summary>A conditioned run's labels (see <see cref="LabelSet"/>); null otherwise.</summary>
    public LabelSet? Labels { get; private init; }

    /// <summary>Each training song's label (an index into <see cref="Labels"/>), in the order of <see cref="Train"/>.</summary>
    public IReadOnlyList<int>? TrainLabels { get; private init; }

    /// <summary>Each validation song's label, in the order of <see cref="Validation"/>.</summary>
    public IReadOnlyList<int>? ValidationLabels { get; private init; }

    /// <summary>The same songs with each one's label (the training songs' label names resolved by <see cref="LabelSet.Resolve"/>;
    /// a validation song whose name is not among them goes under "other", or is left out when there is none).</summary>
    public TrainingData WithLabels(ConditionLabel kind, IReadOnlyList<string> trainNames, IReadOnlyList<string> validationNames,
        int minSongs, Action<string> report)
    {
        if (trainNames.Count != Train.Count || validationNames.Count != Validation.Count)
            throw new ArgumentException("one label name per training and validation song");
        var (labels, trainLabels) = LabelSet.Resolve(kind, trainNames, minSongs, report);
        var kept = validationNames.Select((n, i) => (Label: labels.Assign(n), i))
            .Where(p => p.Label is not null).ToList();
        return new TrainingData(Description, TonesPerCell, Scaling, Train, kept.Select(p => Validation[p.i]).ToList(), TooShort, TempoBpm)
        {
            Labels = labels,
            TrainLabels = trainLabels,
            ValidationLabels = kept.Select(p => p.Label!.Value).ToArray(),
        };
    }

    /// <summary>Share of the training songs' windows of <paramref name="length"/> events (cut one after another) whose
    /// tones all have the same velocity (one tone per cell).</summary>
    public double ShareOfWindowsAtOneVelocity(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        int velocity = EventLayout.IntensityIndex(0), features = FeatureCount;
        int windows = 0, flat = 0;
        foreach (var song in Train)
        {
            int events = song.Length / features;
            for (int start = 0; start + length <= events; start += length)
            {
                windows++;
                float first = song[start * features + velocity];
                bool same = true;
                for (int e = start + 1; e < start + length && same; e++)
                    same = song[e * features + velocity] == first;
                if (same) flat++;
            }
        }
        return windows == 0 ? 0 : (double)flat / windows;
    }

    /// <summary><see cref="Model.SongTraits.TableRows"/> windows of <paramref name="length"/> events (songs, length,
    /// <see cref="FeatureCount"/>) from the training songs, which a G with song traits draws its songs' traits from:
    /// the songs in a random order (again from the start when there are fewer), each window at a random place.</summary>
    public Tensor TraitWindows(int length, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var random = new Random(DeterministicSeed.Of(seed, -2));
        int[] order = Enumerable.Range(0, Train.Count).ToArray();
        random.Shuffle(order);
        int rows = Model.SongTraits.TableRows, features = FeatureCount;
        float[] buffer = new float[rows * length * features];
        for (int row = 0; row < rows; row++)
        {
            float[] song = Train[order[row % order.Length]];
            int start = random.Next(song.Length / features - length + 1);
            Array.Copy(song, start * features, buffer, row * length * features, length * features);
        }
        return tensor(buffer, new long[] { rows, length, features });
    }

    /// <param name="scaling">The scaling to use (a resumed run's); null fits one on the training songs.</param>
    public static TrainingData FromSongs(string description, IReadOnlyList<MidiSong> train, IReadOnlyList<MidiSong> validation,
        int tonesPerCell, int minEvents, FeatureScaling? scaling = null) =>
        FromSongs(description, train, validation, tonesPerCell, minEvents, scaling, out _, out _);

    /// <summary>As <see cref="FromSongs(string, IReadOnlyList{MidiSong}, IReadOnlyList{MidiSong}, int, int, FeatureScaling?)"/>,
    /// saying which songs were long enough to keep (indices into <paramref name="train"/> and <paramref name="validation"/>).</summary>
    public static TrainingData FromSongs(string description, IReadOnlyList<MidiSong> train, IReadOnlyList<MidiSong> validation,
        int tonesPerCell, int minEvents, FeatureScaling? scaling, out IReadOnlyList<int> keptTrain, out IReadOnlyList<int> keptValidation)
    {
        var encodedTrain = Encode(train, tonesPerCell, minEvents, out int shortTrain, out keptTrain);
        var encodedValidation = Encode(validation, tonesPerCell, minEvents, out int shortValidation, out keptValidation);
        if (encodedTrain.Count == 0)
            throw new InvalidDataException(
                $"{description}: no training song has at least {minEvents} events ({train.Count} songs, {shortTrain} too short); lower data.length or add music");
        scaling ??= FeatureScaling.Fit(encodedTrain);
        return new TrainingData(description, tonesPerCell, scaling,
            encodedTrain.Select(scaling.Scale).ToList(), encodedValidation.Select(scaling.Scale).ToList(), shortTrain + shortValidation,
            SongTempo.MostCommon(train));
    }

    private static List<EncodedSong> Encode(IReadOnlyList<MidiSong> songs, int tonesPerCell, int minEvents, out int tooShort, out IReadOnlyList<int> kept)
    {
        var encoded = songs.AsParallel().AsOrdered()
            .Select(s => EventCodec.Encode(s, tonesPerCell)).ToList();
        tooShort = encoded.Count(e => e.EventCount < minEvents);
        kept = Enumerable.Range(0, encoded.Count).Where(i => encoded[i].EventCount >= minEvents).ToArray();
        return encoded.Where(e => e.EventCount >= minEvents).ToList();
    }
}
