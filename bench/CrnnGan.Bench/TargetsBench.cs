using System.Globalization;
using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Generation;
using CrnnGan.Midi;
using CrnnGan.Runtime;

namespace CrnnGan.Bench;

/// <summary>
/// What <c>generate --key</c> and <c>--register</c> change. For <c>songs</c> songs of a model (seed <c>seed</c>) and a
/// few asked keys and registers: the share of songs whose estimated key (Krumhansl-Schmuckler) is the asked one, or
/// shares its notes (its relative major or minor), before and after; how well they fit the asked key's profile
/// (correlation); how far their mean pitch is from the asked one. As an anchor, how well real segments of the test
/// split fit their own best key: a transposition cannot make a song more tonal than it is.
/// </summary>
internal static class TargetsBench
{
    public static int Run(string modelPath, string corpusFolder, int songs, long seed)
    {
        TorchRuntime.EnsureLoaded();
        using var model = TrainedModel.Load(modelPath);
        var generated = model.Generate(songs, model.Config.Length, seed).Select(s => s.Notes).Where(n => n.Count > 0).ToList();
        var corpus = Corpus.Load(corpusFolder, new CorpusOptions(model.Config.DataSplitSeed, model.Config.ValidationFraction, model.Config.TestFraction));
        var real = corpus.Test.Select(s => EventCodec.Encode(s.Song))
            .Where(e => e.EventCount >= model.Config.Length)
            .Select(e => (IReadOnlyList<Note>)EventCodec.Decode(RealSegments.Windows(e, model.Config.Length).First()))
            .ToList();

        Console.WriteLine($"model {modelPath}: {generated.Count} songs of {model.Config.Length} events (seed {seed}); real: {real.Count} test-split segments");
        Console.WriteLine($"fit to own best key (mean correlation): generated {BestFit(generated):0.000}, real {BestFit(real):0.000}");
        Console.WriteLine($"mean pitch: generated {generated.Average(MeanPitch):0.0} +- {Sd(generated.Select(MeanPitch)):0.0}, real {real.Average(MeanPitch):0.0} +- {Sd(real.Select(MeanPitch)):0.0}");
        Console.WriteLine();
        Console.WriteLine("asked key       | in key before | after | key or relative before | after | fit before | after");
        foreach (string name in new[] { "C major", "D minor", "Bb major", "F# minor" })
        {
            MusicKey.TryParse(name, out var key);
            var moved = generated.Select(new PitchTargets(key, null).Apply).ToList();
            Console.WriteLine($"{name,-15} | {Share(generated, key, false),13:0.000} | {Share(moved, key, false),5:0.000} | " +
                              $"{Share(generated, key, true),22:0.000} | {Share(moved, key, true),5:0.000} | {generated.Average(key.Fit),10:0.000} | {moved.Average(key.Fit),5:0.000}");
        }
        Console.WriteLine();
        Console.WriteLine("asked register | |mean - asked| before | by semitones | with --key D minor (by octaves)");
        foreach (int pitch in new[] { 48, 60, 72 })
        {
            var semitones = generated.Select(new PitchTargets(null, pitch).Apply);
            MusicKey.TryParse("D minor", out var d);
            var octaves = generated.Select(new PitchTargets(d, pitch).Apply);
            Console.WriteLine($"{pitch,14} | {generated.Average(s => Math.Abs(MeanPitch(s) - pitch)),21:0.00} | " +
                              $"{semitones.Average(s => Math.Abs(MeanPitch(s) - pitch)),12:0.00} | {octaves.Average(s => Math.Abs(MeanPitch(s) - pitch)),8:0.00}");
        }
        return 0;
    }

    private static double MeanPitch(IReadOnlyList<Note> song) => song.Average(n => n.Pitch);

    private static double BestFit(IReadOnlyList<IReadOnlyList<Note>> songs) =>
        songs.Average(s => MusicKey.Estimate(s) is MusicKey key ? key.Fit(s) : 0);

    /// <summary>The share of songs estimated in <paramref name="key"/> (or, with <paramref name="orRelative"/>, in the
    /// key with the same notes: the relative minor of a major key, the relative major of a minor one).</summary>
    private static double Share(IReadOnlyList<IReadOnlyList<Note>> songs, MusicKey key, bool orRelative)
    {
        return songs.Count(s => MusicKey.Estimate(s) is MusicKey found && (found == key || orRelative && found == key.Relative)) / (double)songs.Count;
    }

    private static double Sd(IEnumerable<double> values)
    {
        var list = values.ToList();
        double mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, list.Count - 1));
    }
}
