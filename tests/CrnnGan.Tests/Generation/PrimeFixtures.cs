using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Midi;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using CrnnGan.Training;
using TorchSharp;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Generation;

/// <summary>Primes and small untrained models made in code, for the tests of continuations.</summary>
internal static class PrimeFixtures
{
    /// <summary>Settings that give G every extra a prime must get through: song noise, song velocities, a pitch-class
    /// head, the time staircase, two layers with dropout.</summary>
    public static readonly string[] AllExtras =
        ["model.song_noise=3", "model.song_velocity=true", "model.pitch_class_head=true", "model.time_grid=48", "model.layers=2"];

    /// <summary>A generator file of an untrained G (seeded weights) with a scaling fitted on the synthetic corpus.</summary>
    public static string ModelFile(string path, double? tempoBpm, params string[] settings)
    {
        TorchRuntime.EnsureLoaded();
        var config = TinyRuns.Config().With(settings);
        torch.manual_seed(1);
        using var generator = new Generator(config.Networks);
        var scaling = FeatureScaling.Fit(SyntheticCorpus.Generate(10, seed: 3).Select(s => EventCodec.Encode(s, config.TonesPerCell)));
        GeneratorFile.Save(path, generator, new GeneratorFileHeader
        {
            Config = config, ScalingJson = scaling.ToJson(), EpochsTrained = 1, TempoBpm = tempoBpm,
        });
        return path;
    }

    /// <summary>A melody with a few chords at 192 ticks per quarter (so every tick doubles exactly at crnngan's 384),
    /// velocities and lengths varied, <paramref name="lowest"/> its lowest pitch.</summary>
    public static List<Note> Melody(int notes, int lowest = 60, int seed = 2)
    {
        var random = new Random(seed);
        var melody = new List<Note>();
        long tick = 96;
        while (melody.Count < notes)
        {
            int pitch = lowest + random.Next(12);
            melody.Add(new Note(tick, 48 + 48 * random.Next(4), pitch, 40 + random.Next(80)));
            if (random.Next(4) == 0 && melody.Count < notes)
                melody.Add(new Note(tick, 96, pitch + 4, 40 + random.Next(80)));
            tick += 48 * (1 + random.Next(4));
        }
        return melody;
    }

    /// <summary>Writes <paramref name="notes"/> as a MIDI file at 192 ticks per quarter.</summary>
    public static string PrimeFile(string path, IReadOnlyList<Note> notes, double tempoBpm = 90)
    {
        MidiFileWriter.Write(path, notes, ticksPerQuarter: 192, tempoBpm: tempoBpm);
        return path;
    }

    /// <summary>The first <paramref name="count"/> notes in the order crnngan encodes them, at 384 ticks per quarter.</summary>
    public static List<Note> AtCrnnGanResolution(IEnumerable<Note> notes, int count) =>
        notes.OrderBy(n => n.StartTick).ThenBy(n => n.Pitch).Take(count)
            .Select(n => new Note(n.StartTick * 2, n.LengthTicks * 2, n.Pitch, n.Velocity)).ToList();

    /// <summary>A written file's notes as (start, length, pitch, velocity), in order.</summary>
    public static List<Note> NotesOf(string midiFile) =>
        MidiFileReader.Read(midiFile).Notes.Select(n => new Note(n.StartTick, n.LengthTicks, n.Pitch, n.Velocity))
            .OrderBy(n => n.StartTick).ThenBy(n => n.Pitch).ThenBy(n => n.LengthTicks).ThenBy(n => n.Velocity).ToList();

    public static List<Note> Ordered(IEnumerable<Note> notes) =>
        notes.Select(n => new Note(n.StartTick, n.LengthTicks, n.Pitch, n.Velocity))
            .OrderBy(n => n.StartTick).ThenBy(n => n.Pitch).ThenBy(n => n.LengthTicks).ThenBy(n => n.Velocity).ToList();
}
