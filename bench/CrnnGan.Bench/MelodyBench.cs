using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Generation;
using CrnnGan.Midi;
using CrnnGan.Runtime;
using TorchSharp;

namespace CrnnGan.Bench;

/// <summary>
/// How G writes a melody: teacher forced over real windows, how often it guesses the next pitch; free running,
/// <c>songs</c> songs from one seed, the mean of the melodic and pitch features that give G's songs away, beside the
/// same of real songs (a folder, or "synthetic"). (Until tag read-back-experiment it also sampled G reading back its
/// output as written; docs/log/2026-12-05-next-event-predictor.md.)
/// </summary>
internal static class MelodyBench
{
    private static readonly string[] Shown =
    [
        "interval_repeat_share", "interval_step_share", "interval_leap_share", "melody_interval_repeat_share", "melody_interval_step_share",
        "pitch_class_entropy", "unique_tone_share", "pitch_std", "onset_on_16th_share", "ioi_most_common_share",
    ];

    public static int Run(string modelPath, string real, int songs, long seed)
    {
        TorchRuntime.EnsureLoaded();
        using var model = TrainedModel.Load(modelPath);
        int length = model.Config.Length;
        var rows = new List<(string Name, IReadOnlyList<IReadOnlyList<Note>> Songs)>();
        rows.Add(("generated", model.Generate(songs, length, seed).Select(s => s.Notes).ToList()));
        var realSongs = real == "synthetic"
            ? SyntheticCorpus.Generate(100, seed: 12345).Select(s => EventCodec.Encode(s)).ToList()
            : MidiFileFinder.Find(real).Take(400).Select(f => SongLoader.LoadAll([f])[0].Song).OfType<MidiSong>().Select(s => EventCodec.Encode(s)).ToList();
        rows.Add(("real", realSongs.Where(e => e.EventCount >= length)
            .Select(e => (IReadOnlyList<Note>)EventCodec.Decode(RealSegments.Windows(e, length).First())).ToList()));

        TeacherForced(model, realSongs.Where(e => e.EventCount >= length).Select(e => RealSegments.Windows(e, length).First()).ToList(), length, seed);
        Console.WriteLine($"{modelPath}: {songs} songs of {length} events, seed {seed}; real: {real}");
        Console.WriteLine($"{"feature",-30} " + string.Join(" ", rows.Select(r => $"{r.Name,18}")));
        foreach (string name in Shown)
            Console.WriteLine($"{name,-30} " + string.Join(" ", rows.Select(r => $"{Mean(r.Songs, name),18:0.000}")));
        Console.WriteLine($"{"unique tones (paper)",-30} " + string.Join(" ", rows.Select(r => $"{r.Songs.Select(SongStatistics.Compute).OfType<SongStatistics>().Average(s => s.UniqueTones),18:0.00}")));
        return 0;
    }

    /// <summary>G teacher forced over real windows: how often its next pitch, as written, is the real next pitch, and how
    /// often it repeats the pitch it read, beside how often the real next pitch repeats it.</summary>
    private static void TeacherForced(TrainedModel model, IReadOnlyList<EncodedSong> windows, int length, long seed)
    {
        int features = windows[0].FeatureCount;
        var values = windows.SelectMany(w => model.Scaling.Scale(w)[..(length * features)]).ToArray();
        var generator = model.Generator;
        generator.eval();
        torch.manual_seed(seed);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var real = torch.tensor(values, new long[] { windows.Count, length, features });
        var head = model.Config.Networks.PitchClassOutputs > 0 ? new CrnnGan.Model.PitchClassHead(model.Config.TonesPerCell, model.Scaling) : null;
        var output = generator.TeacherForced(head?.WithPitchClasses(real) ?? real);
        var written = head?.Decode(output) ?? output;
        int f = EventLayout.FrequencyIndex(0);
        var pitch = CrnnGan.Model.ScaledPitch.ToPitch(real[.., .., f], model.Scaling.Frequency).round();
        var guess = CrnnGan.Model.ScaledPitch.ToPitch(written[.., .., f], model.Scaling.Frequency).round();
        var actual = pitch[.., 1..];
        var previous = pitch[.., ..(length - 1)];
        var guessed = guess[.., 1..];
        double Share(torch.Tensor mask) => mask.to_type(torch.ScalarType.Float32).mean().item<float>();
        Console.WriteLine($"teacher forced over {windows.Count} real windows: next pitch right {Share(guessed.eq(actual)):0.000}, " +
                          $"within a semitone {Share((guessed - actual).abs().le(1)):0.000}, repeats the pitch read {Share(guessed.eq(previous)):0.000} " +
                          $"(real next repeats it {Share(actual.eq(previous)):0.000}); mean |error| {(guessed - actual).abs().mean().item<float>():0.00} semitones");
    }

    private static double Mean(IReadOnlyList<IReadOnlyList<Note>> songs, string feature) =>
        songs.Select(s => MusicalFeatures.Compute(s, EventLayout.NormalizedTicksPerQuarter))
            .OfType<IReadOnlyList<MusicalFeature>>().SelectMany(f => f.Where(x => x.Name == feature).Select(x => x.Value))
            .DefaultIfEmpty(double.NaN).Average();
}
