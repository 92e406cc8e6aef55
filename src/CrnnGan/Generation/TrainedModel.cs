using CrnnGan.Data;
using CrnnGan.IO;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Training;
using TorchSharp;
using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Generation;

/// <summary>A trained G loaded from a run folder, a checkpoint or a generator file, ready to write music.</summary>
public sealed class TrainedModel : IDisposable
{
    private TrainedModel(string checkpointPath, TrainingConfig config, FeatureScaling scaling, int epochs, Generator generator, double? tempoBpm,
        string provenance = "", NoiseScales? noiseScale = null)
    {
        NoiseScale = noiseScale ?? NoiseScales.One;
        TempoBpm = tempoBpm;
        CheckpointPath = checkpointPath;
        Config = config;
        Scaling = scaling;
        EpochsTrained = epochs;
        Generator = generator;
        Provenance = provenance;
    }

    /// <summary>Where the bundled model is looked for: next to the program.</summary>
    public static string BundledPath => BundledModels.CrnnGan.Path;

    public string CheckpointPath { get; }
    public TrainingConfig Config { get; }
    public FeatureScaling Scaling { get; }
    public int EpochsTrained { get; }
    public Generator Generator { get; }
    public string Provenance { get; }

    /// <summary>The noise scales (temperature) the model is sampled at when none are asked for: stored in a generator
    /// file by <c>export --noise-scale</c>, else 1.</summary>
    public NoiseScales NoiseScale { get; }

    /// <summary>The training music's most common tempo, stored with the model; null for a file written before crnngan
    /// stored it.</summary>
    public double? TempoBpm { get; }

    /// <param name="runOrCheckpoint">A run folder (holding checkpoint.bin), a checkpoint file or a generator file,
    /// read in one open and one read (so a run writing its next checkpoint meanwhile cannot mix two) and verified
    /// against its checksum.</param>
    public static TrainedModel Load(string runOrCheckpoint)
    {
        TorchRuntime.EnsureLoaded();
        string path = Directory.Exists(runOrCheckpoint) ? Path.Combine(runOrCheckpoint, TrainingCheckpoint.FileName) : runOrCheckpoint;
        byte[] bytes = HeaderedFile.ReadAllBytes(path, "checkpoint or generator file");
        if (GeneratorFile.IsGeneratorFile(bytes))
        {
            var (fileHeader, loaded) = GeneratorFile.Load(path, bytes);
            return new TrainedModel(path, fileHeader.Config, GeneratorFile.Scaling(fileHeader), fileHeader.EpochsTrained, loaded,
                fileHeader.TempoBpm, fileHeader.Provenance, GeneratorFile.NoiseScales(fileHeader));
        }
        var checkpoint = TrainingCheckpoint.Read(path, bytes);
        var header = checkpoint.Header;
        var generator = new Generator(header.Config.Networks, TrainingCheckpoint.Scaling(header));
        try
        {
            checkpoint.LoadWeights(generator, null, null, null, average: generator); // the averaged G, if the run keeps one
        }
        catch
        {
            generator.Dispose();
            throw;
        }
        return new TrainedModel(path, header.Config, TrainingCheckpoint.Scaling(header), header.Epoch, generator, header.TempoBpm);
    }

    /// <summary>
    /// One G whose every weight is the mean of the <paramref name="models"/>' (epochs of one run, say): averaging the
    /// weights of a GAN's G over its last steps or epochs (Yazici et al. 2019, "The unusual effectiveness of averaging
    /// in GAN training") smooths out the swings from one epoch to the next. The models must share their settings, data
    /// scaling and seed: Gs that started from other random weights hold what they learned in other units, and the mean
    /// of their weights is noise. The result takes the last one's settings.
    /// </summary>
    public static TrainedModel Average(IReadOnlyList<TrainedModel> models)
    {
        if (models.Count == 0) throw new ArgumentException("no models to average", nameof(models));
        var last = models[^1];
        foreach (var other in models)
        {
            if (other.Config.Networks != last.Config.Networks)
                throw new CheckpointException(other.CheckpointPath, $"its model settings differ from those of {last.CheckpointPath}; only Gs of the same settings can be averaged");
            if (other.Config.Seed != last.Config.Seed)
                throw new CheckpointException(other.CheckpointPath, $"it was trained from seed {other.Config.Seed} and {last.CheckpointPath} from seed {last.Config.Seed}; only Gs that started from the same weights can be averaged");
            if (other.Scaling.ToJson() != last.Scaling.ToJson())
                throw new CheckpointException(other.CheckpointPath, $"its data scaling differs from that of {last.CheckpointPath} (another corpus or split); only Gs of the same data can be averaged");
        }

        var generator = new Generator(last.Config.Networks, last.Scaling);
        var sources = models.Select(m => m.Generator.state_dict()).ToList();
        using (torch.no_grad())
        {
            foreach (var (name, target) in generator.state_dict())
            {
                using var scope = torch.NewDisposeScope();
                target.copy_(torch.stack(sources.Select(s => s[name]).ToArray()).mean([0L]));
            }
        }
        string provenance = $"the mean of the weights of {models.Count} Gs: " + string.Join(", ", models.Select(m => $"{m.CheckpointPath} ({m.EpochsTrained} epochs)"));
        return new TrainedModel(last.CheckpointPath, last.Config, last.Scaling, last.EpochsTrained, generator, last.TempoBpm, provenance, last.NoiseScale);
    }

    /// <summary><paramref name="count"/> songs of <paramref name="length"/> events; the same seed gives the same songs.
    /// <paramref name="noiseScale"/> is G's temperature: the scale of each step's noise and each chosen feature's (see <see cref="Model.Generator.Sample"/>).</summary>
    /// <param name="label">A conditioned model's label of every song (see <see cref="Labels"/>); null: each song's drawn in
    /// proportion to the training songs' (<see cref="SongLabels"/>).</param>
    /// <param name="noiseScale">Null: the model's own (<see cref="NoiseScale"/>).</param>
    public IReadOnlyList<GeneratedSong> Generate(int count, int length, long seed, NoiseScales? noiseScale = null, string? label = null)
    {
        var labels = SongLabels(count, seed, label);
        torch.manual_seed(seed);
        return SongSampler.Sample(Generator, Scaling, Config.TonesPerCell, count, length, noiseScale ?? NoiseScale, labels);
    }

    /// <summary>What a conditioned model was trained on (its composers or genres); null for an unconditioned one.</summary>
    public LabelSet? Labels => Config.Labels;

    /// <summary>The labels of <paramref name="count"/> songs: all <paramref name="label"/> (any case), or without it drawn
    /// in proportion to the training songs' from <paramref name="seed"/>; null for an unconditioned model.</summary>
    /// <exception cref="UnknownLabelException">The model does not know <paramref name="label"/>, or knows no labels.</exception>
    public int[]? SongLabels(int count, long seed, string? label)
    {
        if (Labels is null)
            return label is null ? null : throw new UnknownLabelException($"the model was not trained by composer or genre (data.condition), so it cannot write \"{label}\"");
        return label is null ? Labels.Draw(count, new Random(DeterministicSeed.Of(unchecked((int)seed), -2))) : Enumerable.Repeat(Labels.Require(label), count).ToArray();
    }

    /// <summary><paramref name="count"/> continuations of <paramref name="prime"/>, <paramref name="length"/> events each
    /// (see <see cref="PrimedSampler"/>); the same seed gives the same songs.</summary>
    public IReadOnlyList<PrimedSong> Continue(SongPrime prime, int count, int length, long seed, NoiseScales? noiseScale = null, int songNoiseCandidates = 1,
        string? label = null)
    {
        var labels = SongLabels(count, seed, label);
        torch.manual_seed(seed);
        return PrimedSampler.Sample(Generator, Scaling, Config.TonesPerCell, prime, count, length, noiseScale ?? NoiseScale, songNoiseCandidates, labels);
    }

    /// <summary>Reads <paramref name="path"/> as a prime for this model: <paramref name="events"/> of its first events, or
    /// by default all of them up to the model's training length (see <see cref="SongPrime.Read"/>).</summary>
    public SongPrime ReadPrime(string path, int? events) => SongPrime.Read(path, Config.TonesPerCell, events, Config.Length);

    /// <summary>Writes G alone (optionally in half precision) with its config, scaling and <paramref name="provenance"/>,
    /// and the noise scales and top-p it is to be sampled at (null: this model's own).</summary>
    public void Export(string path, bool halfPrecision, string provenance, NoiseScales? noiseScale = null)
    {
        var scales = noiseScale ?? NoiseScale;
        GeneratorFile.Save(path, Generator, new GeneratorFileHeader
        {
            Config = Config,
            ScalingJson = Scaling.ToJson(),
            EpochsTrained = EpochsTrained,
            TempoBpm = TempoBpm,
            HalfPrecision = halfPrecision,
            Provenance = provenance,
            NoiseScale = scales.Step == 1 ? null : scales.Step,
            ChoiceNoiseScales = scales.OwnScales.Count == 0 ? null : new Dictionary<string, double>(scales.OwnScales),
            ChoiceTopP = scales.TopP.IsOff ? null : new Dictionary<string, double>(scales.TopP.Shares),
        });
    }

    public void Dispose() => Generator.Dispose();
}
