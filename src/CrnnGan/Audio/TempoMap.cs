using CrnnGan.Midi;

namespace CrnnGan.Audio;

/// <summary>
/// Converts MIDI ticks to seconds under a song's tempo changes. Before the first tempo event (or without any)
/// the tempo is the MIDI default, 120 BPM; of several changes at one tick the last counts.
/// </summary>
public sealed class TempoMap
{
    public const int DefaultMicrosecondsPerQuarter = 500_000;

    private readonly long[] _startTicks;
    private readonly double[] _startSeconds;
    private readonly double[] _secondsPerTick;

    public TempoMap(int ticksPerQuarter, IReadOnlyList<TempoChange> tempos)
    {
        if (ticksPerQuarter < 1)
            throw new ArgumentOutOfRangeException(nameof(ticksPerQuarter), ticksPerQuarter, "must be at least 1");

        var segments = new List<(long Tick, double SecondsPerTick)> { (0, SecondsPerTick(DefaultMicrosecondsPerQuarter, ticksPerQuarter)) };
        foreach (var tempo in tempos.Where(t => t.MicrosecondsPerQuarter > 0).OrderBy(t => t.Tick))
        {
            var segment = (Math.Max(0, tempo.Tick), SecondsPerTick(tempo.MicrosecondsPerQuarter, ticksPerQuarter));
            if (segments[^1].Tick == segment.Item1)
                segments[^1] = segment;
            else
                segments.Add(segment);
        }

        _startTicks = new long[segments.Count];
        _startSeconds = new double[segments.Count];
        _secondsPerTick = new double[segments.Count];
        for (int i = 0; i < segments.Count; i++)
        {
            _startTicks[i] = segments[i].Tick;
            _secondsPerTick[i] = segments[i].SecondsPerTick;
            _startSeconds[i] = i == 0 ? 0 : _startSeconds[i - 1] + (_startTicks[i] - _startTicks[i - 1]) * _secondsPerTick[i - 1];
        }
    }

    public static TempoMap Of(MidiSong song) => new(song.TicksPerQuarter, song.Tempos);

    public double Seconds(long tick)
    {
        int index = Array.BinarySearch(_startTicks, tick);
        if (index < 0)
            index = Math.Max(0, ~index - 1);
        return _startSeconds[index] + (tick - _startTicks[index]) * _secondsPerTick[index];
    }

    private static double SecondsPerTick(int microsecondsPerQuarter, int ticksPerQuarter) =>
        microsecondsPerQuarter / 1e6 / ticksPerQuarter;
}
