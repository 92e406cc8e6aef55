using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace CrnnGan.Evaluation;

/// <summary>A feature's share of what gave the generated songs away: its share of the trees' gain.</summary>
public readonly record struct GiveAway(string Feature, double Importance);

/// <summary>
/// The result of <see cref="ClassifierTwoSampleTest"/>: held-out accuracy with its 95% Wilson interval (0.5 = the
/// classifier cannot tell the two sets apart, 1 = it always can), how many songs of each side took part, and the
/// features that told them apart most.
/// </summary>
/// <param name="GeneratedHeldOut">Per generated song (in the order given), the probability the classifier gave it of
/// being generated while it was held out; null for a song left out to balance the sides.</param>
/// <param name="RealHeldOut">The same per real song.</param>
public sealed record TwoSampleResult(double Accuracy, double Lower, double Upper, int PerSide, int Folds, IReadOnlyList<GiveAway> GiveAways,
    [property: System.Text.Json.Serialization.JsonIgnore] IReadOnlyList<double?>? GeneratedHeldOut = null,
    [property: System.Text.Json.Serialization.JsonIgnore] IReadOnlyList<double?>? RealHeldOut = null);

/// <summary>
/// A classifier two-sample test (Lopez-Paz and Oquab 2017): gradient-boosted trees (ML.NET's FastTree, chosen over a
/// hand-written learner as a maintained, deterministic implementation) learn to tell generated from real songs by their
/// <see cref="MusicalFeatures"/>, and their accuracy on songs they were not trained on, by k-fold cross-validation
/// with both sides cut to the same number of songs, is the score. Deterministic for a seed.
/// </summary>
public static class ClassifierTwoSampleTest
{
    private sealed class Row
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        public bool PredictedLabel { get; set; }
        public float Probability { get; set; }
    }

    /// <param name="generated">Feature vectors of the generated songs (every one the same length).</param>
    /// <param name="real">Feature vectors of the real songs.</param>
    /// <param name="names">The features' names, for <see cref="TwoSampleResult.GiveAways"/>.</param>
    public static TwoSampleResult Run(IReadOnlyList<double[]> generated, IReadOnlyList<double[]> real, IReadOnlyList<string> names,
        int folds = 5, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        int perSide = Math.Min(generated.Count, real.Count);
        if (perSide < folds)
            throw new ArgumentException($"a two-sample test with {folds} folds needs at least {folds} songs on each side (generated {generated.Count}, real {real.Count})");
        if (generated.Concat(real).Any(v => v.Length != names.Count))
            throw new ArgumentException($"every feature vector must have the {names.Count} named features");

        var random = new Random(seed);
        int[] generatedChosen = Balanced(generated.Count, perSide, random), realChosen = Balanced(real.Count, perSide, random);
        var rows = generatedChosen.Select(i => RowOf(generated[i], true)).Concat(realChosen.Select(i => RowOf(real[i], false))).ToArray();
        // Stratified folds: each fold holds the same number of songs of each side.
        int[] fold = new int[rows.Length];
        for (int side = 0; side < 2; side++)
        {
            int[] order = Enumerable.Range(side * perSide, perSide).ToArray();
            random.Shuffle(order);
            for (int i = 0; i < order.Length; i++) fold[order[i]] = i % folds;
        }

        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, names.Count);
        int correct = 0;
        var heldOut = new double[rows.Length];
        for (int k = 0; k < folds; k++)
        {
            var train = ml.Data.LoadFromEnumerable(rows.Where((_, i) => fold[i] != k), schema);
            var test = ml.Data.LoadFromEnumerable(rows.Where((_, i) => fold[i] == k), schema);
            var model = Trainer(ml, perSide * 2 * (folds - 1) / folds).Fit(train);
            var predictions = ml.Data.CreateEnumerable<Prediction>(model.Transform(test), reuseRowObject: false);
            int[] inFold = Enumerable.Range(0, rows.Length).Where(i => fold[i] == k).ToArray();
            foreach (var (i, p) in inFold.Zip(predictions))
            {
                heldOut[i] = p.Probability;
                if (rows[i].Label == p.PredictedLabel) correct++;
            }
        }

        var all = Trainer(ml, rows.Length).Fit(ml.Data.LoadFromEnumerable(rows, schema));
        var (accuracy, lower, upper) = Wilson(correct, rows.Length);
        return new TwoSampleResult(accuracy, lower, upper, perSide, folds, GiveAways(all.Model.SubModel, names),
            PerSong(generated.Count, generatedChosen, heldOut.AsSpan(0, perSide)), PerSong(real.Count, realChosen, heldOut.AsSpan(perSide)));
    }

    /// <summary>Which <paramref name="count"/> of a side's songs take part, in their order.</summary>
    private static int[] Balanced(int sideCount, int count, Random random)
    {
        int[] chosen = Enumerable.Range(0, sideCount).ToArray();
        random.Shuffle(chosen);
        return [.. chosen.Take(count).Order()];
    }

    private static Row RowOf(double[] features, bool label) => new() { Label = label, Features = Array.ConvertAll(features, v => (float)v) };

    private static double?[] PerSong(int sideCount, int[] chosen, ReadOnlySpan<double> heldOut)
    {
        var perSong = new double?[sideCount];
        for (int i = 0; i < chosen.Length; i++) perSong[chosen[i]] = heldOut[i];
        return perSong;
    }

    /// <summary>Small trees for a few hundred songs; one thread, so that a seed gives one answer.</summary>
    private static FastTreeBinaryTrainer Trainer(MLContext ml, int examples) =>
        ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = 100,
            NumberOfLeaves = 8,
            MinimumExampleCountPerLeaf = Math.Max(2, examples / 50),
            LearningRate = 0.1,
            NumberOfThreads = 1,
            FeatureFraction = 1,
        });

    private static IReadOnlyList<GiveAway> GiveAways(FastTreeBinaryModelParameters trees, IReadOnlyList<string> names)
    {
        VBuffer<float> weights = default;
        trees.GetFeatureWeights(ref weights);
        float[] dense = weights.DenseValues().ToArray();
        double total = dense.Sum(w => (double)w);
        return Enumerable.Range(0, names.Count)
            .Select(i => new GiveAway(names[i], total > 0 ? dense[i] / total : 0))
            .OrderByDescending(g => g.Importance).ThenBy(g => g.Feature, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The share of successes and its 95% Wilson score interval.</summary>
    internal static (double Share, double Lower, double Upper) Wilson(int successes, int trials)
    {
        const double z = 1.959963984540054;
        double p = (double)successes / trials, z2n = z * z / trials;
        double centre = (p + z2n / 2) / (1 + z2n);
        double half = z * Math.Sqrt(p * (1 - p) / trials + z2n / (4 * trials)) / (1 + z2n);
        return (p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
