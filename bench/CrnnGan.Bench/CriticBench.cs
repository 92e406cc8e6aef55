using System.Globalization;
using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Generation;
using CrnnGan.Midi;
using CrnnGan.Model;
using CrnnGan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Bench;

/// <summary>
/// How well a recurrent D tells a finished model's songs from real music, and what keeping only the songs it finds most
/// real does to <c>crnngan evaluate</c>'s figures. A fresh bidirectional LSTM critic (D's form: song moments, lags,
/// rhythm and intervals; <c>hidden</c> units, light dropout) learns for <c>epochs</c> passes against a fixed G: real
/// segments of the model's training split (at most 4 a song, cut and encoded as evaluate cuts them) against
/// <c>fakes</c> of G's songs, both written to notes and encoded alike, so that only what a MIDI file holds tells
/// them apart. After each epoch: its accuracy and AUC on one segment of each validation-split song against 400 other
/// songs of G. Then, for seeds 1 and 2: 200 / <c>keep</c> songs drawn, the first 200 and the 200 the critic finds most
/// real measured against the validation split as <c>evaluate --split validation</c> does (classifier two-sample
/// accuracy, the paper's six, the musical features).
/// </summary>
internal static class CriticBench
{
    private const int Batch = 32;

    public static int Run(string modelPath, string corpusFolder, int hidden, int epochs, int fakes, double keep)
    {
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(1);
        using var model = TrainedModel.Load(modelPath);
        var config = model.Config;
        int length = config.Length;
        var corpus = Corpus.Load(corpusFolder, new CorpusOptions(config.DataSplitSeed, config.ValidationFraction, config.TestFraction, Parallelism: 1));
        var scaling = model.Scaling;
        int features = EventLayout.FeatureCount(1);
        float[] Encode(IReadOnlyList<Note> notes)
        {
            var scaled = scaling.Scale(EventCodec.Encode(notes, EventLayout.NormalizedTicksPerQuarter));
            var window = new float[length * features]; // a song that wrote fewer notes than events is padded with zeros
            Array.Copy(scaled, window, Math.Min(scaled.Length, window.Length));
            return window;
        }
        List<IReadOnlyList<Note>> Songs(int count, long seed)
        {
            var songs = new List<IReadOnlyList<Note>>();
            for (int i = 0; i < count; i += 200)
                songs.AddRange(model.Generate(Math.Min(200, count - i), length, seed * 1000 + i).Select(s => s.Notes));
            return songs;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var real = RealSegments.Cut(corpus.Train.Select(s => s.Song), length, 1, maxPerSong: 4, seed: 5).Select(Encode).ToList();
        var fake = Songs(fakes, 77).Select(Encode).ToList();
        var heldOutReal = RealSegments.CutBySong(corpus.Validation.Select(s => s.Song), length, 1, 10, 1).Where(s => s.Count > 0).Select(s => Encode(s[0])).ToList();
        var heldOutFake = Songs(400, 99).Select(Encode).ToList();
        Console.WriteLine($"model {modelPath}; critic hidden {hidden}, {epochs} epochs; {real.Count} real training segments against {fake.Count} songs of G; " +
                          $"held out: {heldOutReal.Count} validation segments against {heldOutFake.Count} songs ({clock.Elapsed.TotalSeconds:F0} s)");

        torch.manual_seed(3);
        using var critic = new Discriminator(new ModelConfig(features, Hidden: hidden, Dropout: 0.2, DiscriminatorInputDropout: 0.1,
            DiscriminatorSongMoments: 2, DiscriminatorSongLags: 0.5, DiscriminatorIntervals: 1, DiscriminatorRhythm: 1), scaling);
        var optimizer = optim.Adam(critic.parameters(), 1e-3);
        var random = new Random(4);
        Tensor Stack(List<float[]> songs, int[] rows)
        {
            var values = new float[rows.Length * length * features];
            for (int i = 0; i < rows.Length; i++) Array.Copy(songs[rows[i]], 0, values, i * length * features, length * features);
            return tensor(values, [rows.Length, length, features]);
        }
        double[] Score(List<float[]> songs)
        {
            critic.eval();
            var scores = new List<double>();
            using (no_grad())
                for (int i = 0; i < songs.Count; i += 64)
                {
                    using var scope = NewDisposeScope();
                    scores.AddRange(critic.call(Stack(songs, Enumerable.Range(i, Math.Min(64, songs.Count - i)).ToArray())).Decision.data<float>().ToArray().Select(x => (double)x));
                }
            critic.train();
            return [.. scores];
        }
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            int steps = Math.Min(real.Count, fake.Count) / Batch;
            double loss = 0;
            for (int s = 0; s < steps; s++)
            {
                using var scope = NewDisposeScope();
                var onReal = critic.call(Stack(real, Draw(random, real.Count))).Decision;
                var onFake = critic.call(Stack(fake, Draw(random, fake.Count))).Decision;
                var batchLoss = -(onReal.clamp(1e-6, 1).log().mean() + (1 - onFake).clamp(1e-6, 1).log().mean());
                optimizer.zero_grad();
                batchLoss.backward();
                nn.utils.clip_grad_norm_(critic.parameters(), 5);
                optimizer.step();
                loss += batchLoss.item<float>();
            }
            var (accuracy, auc) = Separation(Score(heldOutReal), Score(heldOutFake));
            Console.WriteLine($"epoch {epoch}: loss {loss / steps:F3}; held out: accuracy {accuracy:F3}, AUC {auc:F3} ({clock.Elapsed.TotalSeconds:F0} s)");
        }

        // What the critic reads: the held-out real segments changed one way at a time, against G's held-out songs.
        var heldOutRealNotes = RealSegments.CutBySong(corpus.Validation.Select(s => s.Song), length, 1, 10, 1).Where(s => s.Count > 0).Select(s => s[0]).ToList();
        Console.WriteLine($"held-out songs of G: mean critic score {F(Score(heldOutFake).Average())} (real is 1)");
        foreach (var (change, changed) in Probes(heldOutRealNotes))
        {
            var scores = Score(changed.Select(Encode).ToList());
            Console.WriteLine($"held-out real segments, {change}: mean critic score {F(scores.Average())}, AUC against G's {F(Separation(scores, Score(heldOutFake)).Auc)}");
        }

        const int kept = 200;
        int drawn = (int)Math.Round(kept / keep);
        foreach (long seed in new long[] { 1, 2 })
        {
            var candidates = model.Generate(drawn, length, seed).Select(s => s.Notes).ToList();
            var scores = Score(candidates.Select(Encode).ToList());
            var best = candidates.Select((notes, i) => (notes, score: scores[i])).OrderByDescending(x => x.score).Take(kept).Select(x => x.notes).ToList();
            var segments = RealSegments.CutBySong(corpus.Validation.Select(s => s.Song), length, 1, 10, (int)seed);
            foreach (var (name, songs) in new[] { ("first", candidates.Take(kept).ToList()), ("kept by the critic", best) })
            {
                var paper = SongSetEvaluation.Compare(songs, segments.SelectMany(s => s));
                var music = MusicEvaluation.Compare(songs, segments, EventLayout.NormalizedTicksPerQuarter, (int)seed);
                Console.WriteLine($"seed {seed}, {kept} of {drawn}, {name}: classifier {F(music.Realism!.Accuracy)} ({F(music.Realism.Lower)}-{F(music.Realism.Upper)}), " +
                                  $"six {F(paper.MeanPaperOverlap)}, features {F(music.Features.Average(f => f.OverlappingArea))} (lowest {F(music.Features.Min(f => f.OverlappingArea))}); " +
                                  $"give-aways {string.Join(", ", music.Realism.GiveAways.Take(5).Select(g => g.Feature))}");
            }
        }
        return 0;
    }

    /// <summary>Real segments as they are and changed one way at a time: whichever change the critic minds most is
    /// something real music has and G's songs lack.</summary>
    private static IEnumerable<(string Change, List<IReadOnlyList<Note>> Songs)> Probes(List<IReadOnlyList<Note>> real)
    {
        static long Round(long ticks, int grid) => (long)Math.Round(ticks / (double)grid) * grid;
        List<IReadOnlyList<Note>> Each(Func<IReadOnlyList<Note>, IEnumerable<Note>> change) => real.Select(s => (IReadOnlyList<Note>)change(s).ToList()).ToList();
        yield return ("as they are", real);
        yield return ("onsets and lengths on G's 16-tick table", Each(s => s.Select(n => n with { StartTick = Round(n.StartTick, 16), LengthTicks = Math.Max(16, Round(n.LengthTicks, 16)) })));
        yield return ("every velocity the segment's mean", Each(s => { int mean = (int)Math.Round(s.Average(n => n.Velocity)); return s.Select(n => n with { Velocity = mean }); }));
        yield return ("every length the segment's median", Each(s => { long median = s.Select(n => n.LengthTicks).Order().ElementAt(s.Count / 2); return s.Select(n => n with { LengthTicks = median }); }));
        yield return ("pitches shuffled within the segment", Each(s => { var pitches = s.Select(n => n.Pitch).ToArray(); new Random(s.Count).Shuffle(pitches); return s.Select((n, i) => n with { Pitch = pitches[i] }); }));
        yield return ("an octave up", Each(s => s.Select(n => n with { Pitch = Math.Min(127, n.Pitch + 12) })));
    }

    private static int[] Draw(Random random, int count) => Enumerable.Range(0, Batch).Select(_ => random.Next(count)).ToArray();

    /// <summary>Accuracy at 0.5 and the area under the ROC curve of scores meant high for real songs.</summary>
    private static (double Accuracy, double Auc) Separation(double[] real, double[] fake)
    {
        double accuracy = (real.Count(x => x > 0.5) + fake.Count(x => x <= 0.5)) / (double)(real.Length + fake.Length);
        long wins = 0;
        foreach (double r in real)
            foreach (double f in fake)
                wins += r > f ? 2 : r == f ? 1 : 0;
        return (accuracy, wins / (2.0 * real.Length * fake.Length));
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
