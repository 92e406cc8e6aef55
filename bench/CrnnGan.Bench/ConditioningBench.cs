using System.Globalization;
using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Generation;
using CrnnGan.Midi;
using CrnnGan.Runtime;
using CrnnGan.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using TorchSharp;

namespace CrnnGan.Bench;

/// <summary>
/// Does a conditioned model write the label it is asked for? A classifier (ML.NET's gradient-boosted trees, one against
/// the rest) learns each label from the <see cref="MusicalFeatures"/> of real segments of the model's training split
/// (at most <c>MaxPerSong</c> segments of the model's length per song, every label cut to the same number of segments,
/// so chance is 1 / labels), is checked on the test split's segments (how well labels can be told apart at all), then
/// labels <c>songs</c> generated songs per requested label (seed <c>seed</c>). Per label: the share of its songs assigned
/// to it against chance, the share of all generated songs assigned to it (what a model deaf to the label would score),
/// and how real its songs measure (<see cref="ClassifierTwoSampleTest"/> against the label's real training segments:
/// 0.5 = indistinguishable).
/// </summary>
internal static class ConditioningBench
{
    private const int MaxPerSong = 5;

    private sealed class Row
    {
        public string Label { get; set; } = "";
        public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        public string PredictedLabel { get; set; } = "";
    }

    public static int Run(string modelPath, string corpusFolder, int songs, long seed)
    {
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(1);
        using var model = TrainedModel.Load(modelPath);
        var config = model.Config;
        if (model.Labels is not { } labels)
        {
            Console.Error.WriteLine($"{modelPath}: not a conditioned model (data.condition)");
            return 1;
        }
        int length = config.Length, ticks = EventLayout.NormalizedTicksPerQuarter;
        var corpus = Corpus.Load(corpusFolder, new CorpusOptions(config.DataSplitSeed, config.ValidationFraction, config.TestFraction, Parallelism: 1));
        if (config.DataPath is string trained && Path.GetFullPath(trained).TrimEnd('/') == Path.GetFullPath(corpusFolder).TrimEnd('/'))
            corpus = TrainingCorpus.Labelled(corpus, config.Data, Console.WriteLine); // the run's labels CSV, if it had one
        string LabelOf(CorpusSong song)
        {
            string name = labels.Kind == ConditionLabel.Genre ? song.Genre : song.Composer;
            return labels.Names.Contains(name) ? name : LabelSet.Other;
        }
        Dictionary<string, List<double[]>> Segments(IReadOnlyList<CorpusSong> split) => labels.Names.ToDictionary(n => n, n =>
            MusicEvaluation.Measure(RealSegments.Cut(split.Where(s => LabelOf(s) == n).Select(s => s.Song), length, config.TonesPerCell, MaxPerSong, seed: 1), ticks).ToList());
        var train = Segments(corpus.Train);
        var test = Segments(corpus.Test);
        int perLabel = train.Values.Min(v => v.Count);
        var random = new Random(1);
        var rows = train.SelectMany(kv => kv.Value.OrderBy(_ => random.Next()).Take(perLabel).Select(f => NewRow(kv.Key, f))).ToList();

        var ml = new MLContext(1);
        var schema = SchemaDefinition.Create(typeof(Row));
        int featureCount = MusicalFeatures.Definitions.Count;
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfTrees = 100, NumberOfLeaves = 8, MinimumExampleCountPerLeaf = Math.Max(2, rows.Count / 100), LearningRate = 0.1,
                NumberOfThreads = 1, FeatureFraction = 1,
            })))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var classifier = pipeline.Fit(ml.Data.LoadFromEnumerable(rows, schema));
        string[] Predict(IEnumerable<double[]> features) => ml.Data.CreateEnumerable<Prediction>(
            classifier.Transform(ml.Data.LoadFromEnumerable(features.Select(f => NewRow("", f)), schema)), reuseRowObject: false)
            .Select(p => p.PredictedLabel).ToArray();

        Console.WriteLine($"model: {modelPath} ({model.EpochsTrained} epochs), conditioned on {labels.KindName}: {string.Join(", ", labels.Names)}; " +
                          $"classifier trained on {perLabel} real training-split segments of {length} events per label (at most {MaxPerSong} per song); " +
                          $"{songs} generated songs per label, seed {seed}; chance {1.0 / labels.Count:F3}");
        var generated = new Dictionary<string, string[]>();
        var realism = new Dictionary<string, double>();
        foreach (string name in labels.Names)
        {
            var notes = model.Generate(songs, length, seed, label: name).Select(s => s.Notes).ToList();
            var features = MusicEvaluation.Measure(notes, ticks);
            generated[name] = Predict(features);
            realism[name] = Math.Min(features.Count, train[name].Count) >= 5
                ? ClassifierTwoSampleTest.Run(features, train[name], MusicalFeatures.Definitions.Select(d => d.Name).ToArray()).Accuracy : double.NaN;
        }
        int allGenerated = generated.Values.Sum(p => p.Length);
        Console.WriteLine("label      real test: segments accuracy | generated: songs  as requested  assigned overall | realism (C2ST accuracy)");
        foreach (string name in labels.Names)
        {
            var realPredicted = Predict(test[name]);
            double realAccuracy = realPredicted.Length == 0 ? double.NaN : realPredicted.Count(p => p == name) / (double)realPredicted.Length;
            var predicted = generated[name];
            double asked = predicted.Length == 0 ? double.NaN : predicted.Count(p => p == name) / (double)predicted.Length;
            double overall = generated.Values.Sum(p => p.Count(x => x == name)) / (double)allGenerated;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-10} {realPredicted.Length,9} {realAccuracy,9:F3}   | {predicted.Length,15} {asked,12:F3} {overall,16:F3} | {realism[name],8:F3}"));
        }
        double meanAsked = labels.Names.Average(n => generated[n].Length == 0 ? 0 : generated[n].Count(p => p == n) / (double)generated[n].Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean over labels: generated songs assigned to their requested label {meanAsked:F3} (chance {1.0 / labels.Count:F3})"));
        return 0;
    }

    private static Row NewRow(string label, double[] features) => new() { Label = label, Features = Array.ConvertAll(features, v => (float)v) };
}
