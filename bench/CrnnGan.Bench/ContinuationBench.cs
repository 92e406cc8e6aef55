using System.Globalization;
using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Generation;
using CrnnGan.Midi;
using CrnnGan.Runtime;
using TorchSharp;

namespace CrnnGan.Bench;

/// <summary>
/// Does a continuation keep to its prime? Primes are the first <c>primeEvents</c> events of test-split songs of the
/// model's own corpus (the split <c>crnngan evaluate --split test</c> uses: <see cref="Corpus.Load"/> with the run's split
/// seed and fractions), in split order, of the songs with at least <c>primeEvents + length</c> events (the events after
/// the prime are the real continuation, measured alike). For each prime, <c>songs</c> continuations of
/// <c>length</c> events (seed = base seed + prime's index) and as many unprimed songs from the same model and seed, each
/// measured against the prime: the share of its notes in the prime's best-fitting scale (<see cref="ScaleFit"/>), and its
/// mean pitch less the prime's. Figures are per-prime means (over its songs), then mean and std over the primes.
/// </summary>
internal static class ContinuationBench
{
    public static int Run(string modelPath, string corpusFolder, int primes, int primeEvents, int length, int songs, long seed, int candidates = 1)
    {
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(1);
        using var model = TrainedModel.Load(modelPath);
        var config = model.Config;
        var corpus = Corpus.Load(corpusFolder, new CorpusOptions(config.DataSplitSeed, config.ValidationFraction, config.TestFraction, Parallelism: 1));
        var chosen = new List<SongPrime>();
        var realContinuations = new List<EncodedSong>();
        foreach (var song in corpus.Test)
        {
            if (chosen.Count == primes) break;
            var encoded = EventCodec.Encode(song.Song, config.TonesPerCell);
            if (encoded.EventCount < primeEvents + length) continue;
            chosen.Add(SongPrime.FromSong(song.Song, song.RelativePath, config.TonesPerCell, primeEvents, config.Length));
            realContinuations.Add(new EncodedSong(encoded.TonesPerCell, encoded.Values[(primeEvents * encoded.FeatureCount)..((primeEvents + length) * encoded.FeatureCount)]));
        }
        Console.WriteLine($"model: {modelPath} ({model.EpochsTrained} epochs); primes: the first {chosen.Count} of the {corpus.Test.Count} test-split songs of " +
                          $"{corpusFolder} (split seed {config.DataSplitSeed}) with at least {primeEvents + length} events, each its first {primeEvents} (the next {length} are the real continuation); " +
                          $"{songs} continuations of {length} events per prime and {songs} unprimed songs, seeds {seed}..{seed + chosen.Count - 1}" +
                          $"{(candidates > 1 ? $"; each continuation's song noise the best fit to the prime of {candidates} draws" : "")}; 1 thread");

        var rows = new List<Row>();
        int silentSongs = 0;
        for (int i = 0; i < chosen.Count; i++)
        {
            var prime = chosen[i];
            var fit = ScaleFit.Best(new PitchClassHistogram(prime.Notes.Select(n => n.Pitch)));
            var inScale = fit.Scale.Intervals.Select(step => PitchClass.Of(fit.Root + step)).ToHashSet();
            double primeMean = prime.Notes.Average(n => n.Pitch);
            var primed = model.Continue(prime, songs, length, seed + i, songNoiseCandidates: candidates).Select(s => s.Continuation.Events).ToList();
            var plain = model.Generate(songs, length, seed + i).Select(s => s.Events).ToList();
            silentSongs += primed.Concat(plain).Count(e => EventCodec.Decode(e).Count == 0);
            List<EncodedSong> real = [realContinuations[i]];
            rows.Add(new Row(prime.Path, fit.ScaleName, fit.Fraction, Measure(Notes(primed, length), inScale, primeMean), Measure(Notes(plain, length), inScale, primeMean),
                Measure(Notes(primed, HeadEvents), inScale, primeMean), Measure(Notes(plain, HeadEvents), inScale, primeMean),
                Measure(Notes(real, length), inScale, primeMean), Measure(Notes(real, HeadEvents), inScale, primeMean)));
        }

        Print(rows, silentSongs);
        if (chosen.Count > 0) TeacherForcedPitch(model, chosen, seed);
        return rows.Count > 0 ? 0 : 1;
    }

    /// <summary>
    /// How much G's next event depends on the real events it reads: G teacher forced over the primes (what a prime's
    /// reading amounts to), its prediction of each event's scaled frequency from the events before it (events 2 on: the
    /// first reads random noise), as R^2 against the events' own variance, beside repeating the previous event's.
    /// </summary>
    private static void TeacherForcedPitch(TrainedModel model, List<SongPrime> primes, long seed)
    {
        int events = primes.Min(p => p.EventCount), features = primes[0].Events.FeatureCount;
        var values = primes.SelectMany(p => model.Scaling.Scale(p.Events)[..(events * features)]).ToArray();
        var generator = model.Generator;
        generator.eval();
        torch.manual_seed(seed);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var real = torch.tensor(values, new long[] { primes.Count, events, features });
        var input = model.Config.Networks.PitchClassOutputs > 0 ? new CrnnGan.Model.PitchClassHead(model.Config.TonesPerCell, model.Scaling).WithPitchClasses(real) : real;
        int f = EventLayout.FrequencyIndex(0);
        var actual = real[.., 1.., f];
        var predicted = generator.TeacherForced(input)[.., 1.., f];
        var previous = real[.., ..(events - 1), f];
        double variance = (actual - actual.mean()).square().sum().item<float>();
        double rSquared = 1 - (predicted - actual).square().sum().item<float>() / variance;
        double rSquaredPrevious = 1 - (previous - actual).square().sum().item<float>() / variance;
        Console.WriteLine(FormattableString.Invariant(
            $"  G teacher forced over the primes, its next event's scaled frequency: R^2 {rSquared:F3} (the previous event's frequency as the guess: {rSquaredPrevious:F3})"));
    }

    private sealed record Measures(double InPrimeScale, double OwnScale, double PitchShift);

    private sealed record Row(string Prime, string Scale, double PrimeInOwnScale, Measures Primed, Measures Unprimed, Measures PrimedHead, Measures UnprimedHead,
        Measures Real, Measures RealHead);

    /// <summary>The continuation's first events, where G's state is nearest the prime.</summary>
    private const int HeadEvents = 16;

    /// <summary>Each song's notes of its first <paramref name="events"/> events.</summary>
    private static List<IReadOnlyList<Note>> Notes(List<EncodedSong> songs, int events) =>
        songs.Select(e => (IReadOnlyList<Note>)EventCodec.Decode(e.EventCount <= events ? e
            : new EncodedSong(e.TonesPerCell, e.Values[..(events * e.FeatureCount)]))).ToList();

    private static Measures Measure(IReadOnlyList<IReadOnlyList<Note>> songs, HashSet<int> inScale, double primeMean)
    {
        var sounding = songs.Where(s => s.Count > 0).ToList();
        if (sounding.Count == 0) return new Measures(double.NaN, double.NaN, double.NaN);
        return new Measures(
            sounding.Average(s => s.Count(n => inScale.Contains(PitchClass.Of(n.Pitch))) / (double)s.Count),
            sounding.Average(s => ScaleFit.Best(new PitchClassHistogram(s.Select(n => n.Pitch))).Fraction),
            sounding.Average(s => s.Average(n => n.Pitch) - primeMean));
    }

    private static void Print(List<Row> rows, int silentSongs)
    {
        static string MeanStd(IEnumerable<double> values, string format)
        {
            var v = values.Where(double.IsFinite).ToList();
            double mean = v.Average(), std = Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
            return $"{mean.ToString(format, CultureInfo.InvariantCulture)} ± {std.ToString(format, CultureInfo.InvariantCulture)}";
        }

        Console.WriteLine();
        Console.WriteLine($"{"prime",-48} {"scale",-18} {"prime in",8} {"primed",8} {"unprimed",8} {"shift p",8} {"shift u",8}");
        foreach (var r in rows)
            Console.WriteLine(FormattableString.Invariant(
                $"{Short(r.Prime),-48} {r.Scale,-18} {r.PrimeInOwnScale,8:F3} {r.Primed.InPrimeScale,8:F3} {r.Unprimed.InPrimeScale,8:F3} {r.Primed.PitchShift,8:F2} {r.Unprimed.PitchShift,8:F2}"));
        Console.WriteLine();
        Console.WriteLine($"{rows.Count} primes (mean ± std over primes of each prime's mean over its songs; {silentSongs} songs without notes left out)");
        Console.WriteLine($"  prime's notes in its own best scale:                    {MeanStd(rows.Select(r => r.PrimeInOwnScale), "0.000")}");
        Console.WriteLine($"  scale consistency in the prime's scale, primed:         {MeanStd(rows.Select(r => r.Primed.InPrimeScale), "0.000")}");
        Console.WriteLine($"  scale consistency in the prime's scale, unprimed:       {MeanStd(rows.Select(r => r.Unprimed.InPrimeScale), "0.000")}");
        Console.WriteLine($"  scale consistency in the prime's scale, the real next:  {MeanStd(rows.Select(r => r.Real.InPrimeScale), "0.000")}");
        Console.WriteLine($"  difference primed - unprimed (paired by prime):         {MeanStd(rows.Select(r => r.Primed.InPrimeScale - r.Unprimed.InPrimeScale), "0.000")}" +
                          $"; primed higher for {rows.Count(r => r.Primed.InPrimeScale > r.Unprimed.InPrimeScale)} of {rows.Count} primes");
        Console.WriteLine($"  scale consistency in its own best scale, primed:        {MeanStd(rows.Select(r => r.Primed.OwnScale), "0.000")}");
        Console.WriteLine($"  scale consistency in its own best scale, unprimed:      {MeanStd(rows.Select(r => r.Unprimed.OwnScale), "0.000")}");
        Console.WriteLine($"  mean pitch less the prime's (semitones), primed:        {MeanStd(rows.Select(r => r.Primed.PitchShift), "0.00")}");
        Console.WriteLine($"  mean pitch less the prime's (semitones), unprimed:      {MeanStd(rows.Select(r => r.Unprimed.PitchShift), "0.00")}");
        Console.WriteLine($"  |mean pitch less the prime's| (semitones), primed:      {MeanStd(rows.Select(r => Math.Abs(r.Primed.PitchShift)), "0.00")}");
        Console.WriteLine($"  |mean pitch less the prime's| (semitones), unprimed:    {MeanStd(rows.Select(r => Math.Abs(r.Unprimed.PitchShift)), "0.00")}");
        Console.WriteLine($"  |mean pitch less the prime's| (semitones), the real next: {MeanStd(rows.Select(r => Math.Abs(r.Real.PitchShift)), "0.00")}");
        Console.WriteLine($"  the continuation's first {HeadEvents} events only:");
        Console.WriteLine($"    in the prime's scale, primed:                         {MeanStd(rows.Select(r => r.PrimedHead.InPrimeScale), "0.000")}");
        Console.WriteLine($"    in the prime's scale, unprimed:                       {MeanStd(rows.Select(r => r.UnprimedHead.InPrimeScale), "0.000")}");
        Console.WriteLine($"    in the prime's scale, the real next:                  {MeanStd(rows.Select(r => r.RealHead.InPrimeScale), "0.000")}");
        Console.WriteLine($"    |mean pitch less the prime's|, primed:                {MeanStd(rows.Select(r => Math.Abs(r.PrimedHead.PitchShift)), "0.00")}");
        Console.WriteLine($"    |mean pitch less the prime's|, unprimed:              {MeanStd(rows.Select(r => Math.Abs(r.UnprimedHead.PitchShift)), "0.00")}");
        Console.WriteLine($"    |mean pitch less the prime's|, the real next:         {MeanStd(rows.Select(r => Math.Abs(r.RealHead.PitchShift)), "0.00")}");
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT primes={rows.Count} in_prime_scale_primed={rows.Average(r => r.Primed.InPrimeScale):F4} in_prime_scale_unprimed={rows.Average(r => r.Unprimed.InPrimeScale):F4} ") + FormattableString.Invariant(
            $"abs_pitch_shift_primed={rows.Average(r => Math.Abs(r.Primed.PitchShift)):F3} abs_pitch_shift_unprimed={rows.Average(r => Math.Abs(r.Unprimed.PitchShift)):F3}"));
    }

    private static string Short(string path) => path.Length <= 48 ? path : "..." + path[^45..];
}
