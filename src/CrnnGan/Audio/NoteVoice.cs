using CrnnGan.Data;
using CrnnGan.Midi;

namespace CrnnGan.Audio;

/// <summary>
/// One note ready to synthesise: additive harmonics whose tone fades from bright to mellow, under an envelope of a
/// 5 ms attack, a decay to the sustain level, a sustain that fades slowly like a struck string (longer for low
/// notes), and a linear release after the note ends. Loudness follows velocity. Any stretch of the note can be
/// rendered on its own: the state at its start is computed, not carried over, so a song is rendered in chunks.
/// </summary>
/// <remarks>Per-sample arithmetic is single precision (about a quarter faster); the table phase stays double
/// so that pitch does not drift.</remarks>
internal sealed class NoteVoice
{
    private const double AttackSeconds = 0.005;
    private const double DecaySeconds = 0.12;
    private const double SustainLevel = 0.55;
    private const double BrightnessSeconds = 0.25;
    private const double MiddleCSustainSeconds = 2.5;
    private const double PeakAmplitude = 0.3;

    private readonly float[] _bright;
    private readonly float[] _mellow;
    private readonly double _tableStep;
    private readonly double _attackFrames;
    private readonly double _releaseFrames;
    private readonly double _decayFrames;
    private readonly double _sustainFrames;
    private readonly double _brightnessFrames;
    private readonly double _initialBrightness;
    private readonly float _decayAmplitude;
    private readonly float _sustainAmplitude;
    private readonly float _decayPerFrame;
    private readonly float _sustainPerFrame;
    private readonly float _brightnessPerFrame;

    public NoteVoice(Note note, long startFrame, long gateFrames, int sampleRate, double releaseSeconds)
    {
        StartFrame = startFrame;
        _attackFrames = AttackSeconds * sampleRate;
        GateFrames = Math.Max(gateFrames, (long)Math.Ceiling(_attackFrames));
        _releaseFrames = Math.Max(1, Math.Round(releaseSeconds * sampleRate));
        EndFrame = StartFrame + GateFrames + (long)_releaseFrames;
        Pan = Math.Clamp((note.Pitch - 60) / 48.0, -1, 1) * 0.5;

        double frequency = Tuning.PitchToFrequency(note.Pitch);
        int harmonics = HarmonicTables.HarmonicsFor(frequency, sampleRate);
        _bright = HarmonicTables.BrightTable(harmonics);
        _mellow = HarmonicTables.MellowTable(harmonics);
        _tableStep = frequency * HarmonicTables.Size / sampleRate;

        double loudness = Math.Clamp(note.Velocity, 1, 127) / 127.0;
        double amplitude = PeakAmplitude * loudness * loudness;
        _sustainAmplitude = (float)(amplitude * SustainLevel);
        _decayAmplitude = (float)(amplitude * (1 - SustainLevel));
        _initialBrightness = 0.35 + 0.65 * loudness;

        _decayFrames = DecaySeconds * sampleRate;
        _sustainFrames = Math.Clamp(MiddleCSustainSeconds * Math.Pow(2, -(note.Pitch - 60) / 24.0), 0.4, 8) * sampleRate;
        _brightnessFrames = BrightnessSeconds * sampleRate;
        _decayPerFrame = (float)Math.Exp(-1 / _decayFrames);
        _sustainPerFrame = (float)Math.Exp(-1 / _sustainFrames);
        _brightnessPerFrame = (float)Math.Exp(-1 / _brightnessFrames);
    }

    public long StartFrame { get; }

    /// <summary>Frames from the start to the note's end, where the release begins.</summary>
    public long GateFrames { get; }

    /// <summary>First frame after the release has faded out.</summary>
    public long EndFrame { get; }

    /// <summary>Stereo position, -1 (left) to 1 (right): low notes left of centre and high ones right, as at a piano.</summary>
    public double Pan { get; }

    /// <summary>Writes (overwrites) the note's frames <paramref name="from"/>..<paramref name="from"/> + output.Length,
    /// counted from its start, into <paramref name="output"/>.</summary>
    public void Render(long from, Span<float> output)
    {
        var state = new ToneState(
            Decay: (float)Math.Exp(-from / _decayFrames),
            Sustain: (float)Math.Exp(-from / _sustainFrames),
            Brightness: (float)(_initialBrightness * Math.Exp(-from / _brightnessFrames)),
            Phase: from * _tableStep % HarmonicTables.Size);

        // Three stretches, each with a linear ramp on the envelope: rising during the attack, flat while the note
        // is held, falling to zero during the release. Splitting them keeps branches out of the per-sample loop.
        long frame = from;
        int done = 0;
        int attack = Stretch(frame, (long)Math.Ceiling(_attackFrames), output.Length);
        Synthesize(output.Slice(done, attack), ref state, (float)(frame / _attackFrames), (float)(1 / _attackFrames));
        frame += attack;
        done += attack;

        int held = Stretch(frame, GateFrames, output.Length - done);
        Synthesize(output.Slice(done, held), ref state, 1, 0);
        frame += held;
        done += held;

        Synthesize(output[done..], ref state, (float)(1 - (frame - GateFrames) / _releaseFrames), (float)(-1 / _releaseFrames));
    }

    /// <summary>How many of the next <paramref name="available"/> frames from <paramref name="frame"/> lie before <paramref name="end"/>.</summary>
    private static int Stretch(long frame, long end, int available) => (int)Math.Clamp(end - frame, 0, available);

    private record struct ToneState(float Decay, float Sustain, float Brightness, double Phase);

    private void Synthesize(Span<float> output, ref ToneState state, float ramp, float rampStep)
    {
        float[] bright = _bright, mellow = _mellow;
        double step = _tableStep;
        float sustainAmplitude = _sustainAmplitude, decayAmplitude = _decayAmplitude;
        float decayPerFrame = _decayPerFrame, sustainPerFrame = _sustainPerFrame, brightnessPerFrame = _brightnessPerFrame;
        var (decay, sustain, brightness, phase) = state;

        for (int i = 0; i < output.Length; i++)
        {
            float envelope = ramp * (sustainAmplitude * sustain + decayAmplitude * decay);
            int index = (int)phase;
            float fraction = (float)(phase - index);
            float soft = mellow[index] + fraction * (mellow[index + 1] - mellow[index]);
            float hard = bright[index] + fraction * (bright[index + 1] - bright[index]);
            output[i] = envelope * (soft + brightness * (hard - soft));

            ramp += rampStep;
            decay *= decayPerFrame;
            sustain *= sustainPerFrame;
            brightness *= brightnessPerFrame;
            phase += step;
            if (phase >= HarmonicTables.Size)
                phase -= HarmonicTables.Size;
        }
        state = new ToneState(decay, sustain, brightness, phase);
    }
}
