using CrnnGan.Bench;

return args switch
{
    ["midi-corpus", var root] => MidiCorpusCheck.Run(root),
    ["midi-compare", var root] => MidiCompare.Run(root),
    ["midi-fuzz"] => MidiFuzzBench.Run(randomCases: 100_000, seed: 1),
    ["midi-fuzz", var n] => MidiFuzzBench.Run(int.Parse(n), seed: 1),
    ["midi-fuzz", var n, var seed] => MidiFuzzBench.Run(int.Parse(n), int.Parse(seed)),
    ["ingest", var folder] => IngestBench.Run(folder),
    ["train-step"] => TrainStepBench.Run(iterations: 5, threads: null),
    ["train-step", var n] => TrainStepBench.Run(int.Parse(n), threads: null),
    ["train-step", var n, var threads] => TrainStepBench.Run(int.Parse(n), int.Parse(threads)),
    ["step-trace", var n, var threads] => StepTraceBench.Run(int.Parse(n), int.Parse(threads)),
    ["train-profile", var n, var threads] => TrainProfileBench.Run(int.Parse(n), int.Parse(threads)),
    ["gemm", var threads, var seconds] => GemmBench.Run(int.Parse(threads), int.Parse(seconds)),
    ["lstm-dtype", var threads] => LstmDtypeBench.Run(int.Parse(threads)),
    ["lstm-fused", var n, var threads] => FusedLstmBench.Run(int.Parse(n), int.Parse(threads)),
    ["lstm-micro", var threads] => FusedLstmMicro.Run(int.Parse(threads)),
    ["lstm-memory", var n, var which] => FusedLstmMemory.Run(int.Parse(n), which == "fused"),
    ["render"] => RenderBench.Run(minutes: 3, folder: null),
    ["render", var minutes] => RenderBench.Run(double.Parse(minutes, System.Globalization.CultureInfo.InvariantCulture), folder: null),
    ["render", var minutes, var folder] => RenderBench.Run(double.Parse(minutes, System.Globalization.CultureInfo.InvariantCulture), folder),
    ["continuation", var model, var corpus] => ContinuationBench.Run(model, corpus, primes: 50, primeEvents: 50, length: 100, songs: 10, seed: 1, candidates: 1),
    ["continuation", var model, var corpus, var primes, var primeEvents, var length, var songs, var seed] =>
        ContinuationBench.Run(model, corpus, int.Parse(primes), int.Parse(primeEvents), int.Parse(length), int.Parse(songs), long.Parse(seed)),
    ["continuation", var model, var corpus, var primes, var primeEvents, var length, var songs, var seed, var candidates] =>
        ContinuationBench.Run(model, corpus, int.Parse(primes), int.Parse(primeEvents), int.Parse(length), int.Parse(songs), long.Parse(seed), int.Parse(candidates)),
    ["critic", var model, var corpus] => CriticBench.Run(model, corpus, hidden: 64, epochs: 30, fakes: 8000, keep: 0.25),
    ["critic", var model, var corpus, var hidden, var epochs, var fakes, var keep] =>
        CriticBench.Run(model, corpus, int.Parse(hidden), int.Parse(epochs), int.Parse(fakes), double.Parse(keep, System.Globalization.CultureInfo.InvariantCulture)),
    ["melody", var model, var real] => MelodyBench.Run(model, real, songs: 200, seed: 1),
    ["targets", var model, var corpus] => TargetsBench.Run(model, corpus, songs: 200, seed: 1),
    ["conditioning", var model, var corpus] => ConditioningBench.Run(model, corpus, songs: 200, seed: 1),
    ["conditioning", var model, var corpus, var songs, var seed] => ConditioningBench.Run(model, corpus, int.Parse(songs), long.Parse(seed)),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: CrnnGan.Bench midi-corpus <folder>");
    Console.WriteLine("       CrnnGan.Bench midi-compare <folder>");
    Console.WriteLine("       CrnnGan.Bench midi-fuzz [random cases (100000)] [seed (1)]");
    Console.WriteLine("       CrnnGan.Bench ingest <folder>");
    Console.WriteLine("       CrnnGan.Bench train-step [iterations] [threads]");
    Console.WriteLine("       CrnnGan.Bench train-profile <iterations> <threads>");
    Console.WriteLine("       CrnnGan.Bench step-trace <iterations> <threads>");
    Console.WriteLine("       CrnnGan.Bench gemm <threads> <seconds>");
    Console.WriteLine("       CrnnGan.Bench lstm-dtype <threads>");
    Console.WriteLine("       CrnnGan.Bench lstm-fused <iterations> <threads>");
    Console.WriteLine("       CrnnGan.Bench render [minutes] [folder]");
    Console.WriteLine("       CrnnGan.Bench continuation <model> <corpus> [primes (50) prime-events (50) length (100) songs-per-prime (10) seed (1) [song-noise candidates (1)]]");
    Console.WriteLine("       CrnnGan.Bench critic <model> <corpus> [critic hidden (64) epochs (30) songs of G to learn from (8000) share kept (0.25)]");
    Console.WriteLine("       CrnnGan.Bench conditioning <conditioned model> <corpus> [songs per label (200) seed (1)]");
    return 1;
}
