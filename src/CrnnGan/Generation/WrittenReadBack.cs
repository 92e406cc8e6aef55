using CrnnGan.Data;
using CrnnGan.Model;
using CrnnGan.Training;
using static TorchSharp.torch;

namespace CrnnGan.Generation;

/// <summary>
/// G's output of one step as it is written, for G to read at the next: pitches on semitones (through the pitch-class
/// head where G has one, whose points on the circle of fifths are then those of the written pitch, as real events'
/// are), no time below zero. Teacher forced, G only ever reads events of that form; reading its raw output instead,
/// free running, it reads values no real event has (a point inside the circle, a pitch between semitones).
/// </summary>
public static class WrittenReadBack
{
    public static Func<Tensor, Tensor> For(ModelConfig config, FeatureScaling scaling)
    {
        int tones = config.TonesPerCell;
        var head = config.PitchClassOutputs > 0 ? new PitchClassHead(tones, scaling) : null;
        return output =>
        {
            var events = output.unsqueeze(1);
            if (head is not null) events = head.Decode(events);
            else events = OnSemitones(events, tones, scaling);
            events = WrittenEvents.ClampTimeAtZero(events, tones, scaling);
            if (head is not null) events = head.WithPitchClasses(events);
            return events.squeeze(1);
        };
    }

    private static Tensor OnSemitones(Tensor events, int tones, FeatureScaling scaling)
    {
        var written = events.clone();
        for (int tone = 0; tone < tones; tone++)
        {
            int index = EventLayout.FrequencyIndex(tone);
            var frequency = events[.., .., index];
            var sounding = ScaledPitch.Hertz(frequency, scaling.Frequency) >= ScaledPitch.LowestFrequency;
            var rounded = ScaledPitch.FromPitch(ScaledPitch.ToPitch(frequency, scaling.Frequency).round(), scaling.Frequency);
            written[.., .., index] = where(sounding, rounded, frequency);
        }
        return written;
    }
}
