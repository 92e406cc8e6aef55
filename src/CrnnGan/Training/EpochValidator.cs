using CrnnGan.Evaluation;
using CrnnGan.Generation;
using CrnnGan.Midi;
using CrnnGan.Model;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Training;

/// <summary>
/// What is measured after every epoch: G's teacher-forced MSE on the validation songs (and D's and G's losses on them
/// once training is adversarial), and songs sampled from G, their statistics and their overlap with the validation
/// songs', which choose the best epoch. One of the songs is written to samples/.
/// </summary>
public sealed class EpochValidator(TrainingConfig config, TrainingData data, Device device, RunFolderLayout folder)
{
    private readonly PitchClassHead? _pitchClassHead = config.Model.PitchClassHead ? new PitchClassHead(config.TonesPerCell, data.Scaling) : null;
    private IReadOnlyList<SongStatistics>? _validationStatistics;
    private IReadOnlyList<IReadOnlyList<IReadOnlyList<Note>>>? _validationSegmentsBySong;

    /// <summary>The record of epoch <paramref name="epoch"/> (0-based) from its training figures and fresh measurements.</summary>
    /// <param name="sampled">The G songs are sampled from: the averaged one when the run keeps one.</param>
    public EpochRecord Finish(int epoch, TrainingPhase phase, int length, double learningRate, EpochAccumulator partial,
        Generator generator, Discriminator discriminator, Generator sampled)
    {
        var (validationMse, validationG, validationD, nextPitch) = Validate(phase, generator, discriminator);
        // A conditioned G's songs take the labels in proportion to the training songs'.
        var songs = SongSampler.Sample(sampled, data.Scaling, config.TonesPerCell, config.Run.ValidationSongs, config.Length,
            labels: data.Labels?.Proportional(config.Run.ValidationSongs));
        var statistics = SongSetEvaluation.Measure(songs.Select(s => s.Notes));
        var summary = StatisticsSummary.Summarize(statistics);
        var overlaps = ValidationOverlaps(statistics);
        var realism = config.Run.KeepBy == BestEpochMeasure.Realism ? ValidationRealism(songs.Select(s => s.Notes).ToList()) : null;
        string sample = folder.Sample(epoch + 1);
        Directory.CreateDirectory(Path.GetDirectoryName(sample)!);
        if (songs[0].Notes.Count > 0) MidiFileWriter.Write(sample, songs[0].Notes);

        var p = partial;
        return new EpochRecord
        {
            Epoch = epoch + 1,
            Phase = phase,
            Length = length,
            Batches = p.Batches,
            GeneratorLoss = p.Mean(p.GeneratorLoss, p.AdversarialBatches),
            DiscriminatorLoss = p.Mean(p.DiscriminatorLoss, p.AdversarialBatches),
            FeatureMatchingLoss = config.Losses.FeatureMatching ? p.Mean(p.FeatureMatchingLoss, p.AdversarialBatches) : double.NaN,
            SongFeatureMmd = config.Losses.SongFeatureMmd > 0 ? p.Mean(p.SongFeatureMmd, p.AdversarialBatches) : double.NaN,
            MseLoss = p.Mean(p.MseLoss, p.Batches - p.AdversarialBatches),
            ValidationMse = validationMse,
            ValidationNextPitch = nextPitch,
            ValidationGeneratorLoss = validationG,
            ValidationDiscriminatorLoss = validationD,
            DiscriminatorFrozen = p.DiscriminatorFrozen,
            GeneratorFrozen = p.GeneratorFrozen,
            LearningRate = learningRate,
            Seconds = p.Seconds,
            EventsPerSecond = p.Seconds > 0 ? p.Events / p.Seconds : 0,
            SampledSongs = songs.Count,
            SongsWithNotes = statistics.Count,
            ValidationOverlap = overlaps.Count == 0 ? double.NaN : overlaps.Values.Average(),
            ValidationOverlaps = overlaps,
            ValidationRealism = realism?.Realism?.Accuracy ?? double.NaN,
            ValidationFeatureOverlap = realism is null ? double.NaN : realism.Features.Average(f => f.OverlappingArea),
            Statistics = summary.Statistics.ToDictionary(s => s.Name, s => s.Mean),
        };
    }

    /// <summary>Each paper statistic's overlapping area with the validation songs (none without them, or without notes).</summary>
    private Dictionary<string, double> ValidationOverlaps(IReadOnlyList<SongStatistics> sampled)
    {
        _validationStatistics ??= SongSetEvaluation.Measure(RealSegments.CutEncoded(
            data.Validation.Select(scaled => data.Scaling.Unscale(scaled, data.TonesPerCell)), config.Length, seed: config.DataSplitSeed));
        if (_validationStatistics.Count == 0 || sampled.Count == 0) return new();
        return SongSetEvaluation.Compare(sampled, _validationStatistics).Comparisons
            .Where(c => SongSetEvaluation.PaperStatistics.Contains(c.Statistic))
            .ToDictionary(c => c.Statistic, c => c.OverlappingArea);
    }

    /// <summary>The musical features of the sampled songs against those of the validation songs' segments, with the
    /// classifier two-sample test (null without validation songs or notes).</summary>
    private MusicEvaluation? ValidationRealism(IReadOnlyList<IReadOnlyList<Note>> sampled)
    {
        // One segment per song: the classifier takes one per song anyway, and the features' overlap needs no more.
        _validationSegmentsBySong ??= RealSegments.CutEncodedBySong(
            data.Validation.Select(scaled => data.Scaling.Unscale(scaled, data.TonesPerCell)), config.Length, maxPerSong: 1, seed: config.DataSplitSeed);
        var withNotes = sampled.Where(s => s.Count > 0).ToList();
        if (withNotes.Count < RealismFolds || _validationSegmentsBySong.Count(s => s.Count > 0) < RealismFolds) return null;
        return MusicEvaluation.Compare(withNotes, _validationSegmentsBySong, Data.EventLayout.NormalizedTicksPerQuarter, seed: config.DataSplitSeed + 1,
            folds: RealismFolds);
    }

    private const int RealismFolds = 5;

    /// <summary>Teacher-forced MSE and next-pitch hits (<see cref="NextPitchGuess"/>) on the validation songs, and in
    /// adversarial epochs D's and G's losses on them.</summary>
    public (double Mse, double GLoss, double DLoss, double NextPitch) Validate(TrainingPhase phase, Generator generator, Discriminator discriminator)
    {
        if (data.Validation.Count == 0) return (double.NaN, double.NaN, double.NaN, double.NaN);
        generator.eval();
        discriminator.eval();
        double mse = 0, g = 0, d = 0;
        long soundingEvents = 0, hits = 0;
        int batches = 0;
        using (no_grad())
        {
            foreach (var batch in WindowBatcher.Fixed(data.Validation, data.FeatureCount, config.Optimisation.Batch, config.Length, config.DataSplitSeed, device,
                         data.ValidationLabels, data.Labels?.Count ?? 0))
            {
                using var scope = NewDisposeScope();
                var (events, labels) = Conditioning.Split(batch, data.Labels?.Count ?? 0);
                var real = GanStep.RealAsRead(events, _pitchClassHead, generator);
                var guessed = generator.TeacherForced(real, labels: labels);
                mse += GanStep.NextEvent(generator, guessed, real).item<float>();
                var (sounding, hit) = NextPitchGuess.Count(generator.Choices?.Decode(guessed) ?? guessed, real, _pitchClassHead, data.Scaling);
                soundingEvents += sounding;
                hits += hit;
                if (phase != TrainingPhase.Pretraining)
                {
                    var onReal = discriminator.call(Conditioning.Beside(real, labels));
                    var onFake = discriminator.call(Conditioning.Beside(generator.Sample(real.shape[0], real.shape[1], labels: labels), labels));
                    d += GanLosses.Discriminator(onReal.Decision, onFake.Decision).item<float>();
                    g += GanLosses.Generator(onFake.Decision, GeneratorLossForm.NonSaturating).item<float>();
                }
                batches++;
                batch.Dispose();
            }
        }
        generator.train();
        discriminator.train();
        double nextPitch = soundingEvents > 0 ? (double)hits / soundingEvents : double.NaN;
        return phase != TrainingPhase.Pretraining
            ? (mse / batches, g / batches, d / batches, nextPitch)
            : (mse / batches, double.NaN, double.NaN, nextPitch);
    }
}
