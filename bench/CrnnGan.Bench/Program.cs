using CrnnGan.Bench;

return args switch
{
    ["midi-corpus", var root] => MidiCorpusCheck.Run(root),
    ["ingest", var folder] => IngestBench.Run(folder),
    ["train-step"] => TrainStepBench.Run(iterations: 5, threads: null),
    ["train-step", var n] => TrainStepBench.Run(int.Parse(n), threads: null),
    ["train-step", var n, var threads] => TrainStepBench.Run(int.Parse(n), int.Parse(threads)),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: CrnnGan.Bench midi-corpus <folder>");
    Console.WriteLine("       CrnnGan.Bench ingest <folder>");
    Console.WriteLine("       CrnnGan.Bench train-step [iterations] [threads]");
    return 1;
}
