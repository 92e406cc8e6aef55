using CrnnGan.Data;
using CrnnGan.Generation;

namespace CrnnGan.Tests.Generation;

public class AbsentToneTests
{
    [Fact]
    public void TheThresholdIsHalfTheMeanPresentVelocity()
    {
        var scaling = new FeatureScaling(new OffsetScale(0, 384), new OffsetScale(3, 1), new OffsetScale(80, 20), new OffsetScale(0, 384));
        Assert.Equal(40, SongSampler.PresenceThreshold(scaling));
        Assert.Equal(1, SongSampler.PresenceThreshold(FeatureScaling.Default));
    }

    [Fact]
    public void FaintTonesOfAThreeToneCellDecodeAsAbsentAndLoudOnesStay()
    {
        // One event: a loud tone, a faint "almost absent" tone at ~0 Hz, a tone just over the threshold.
        float[] values =
        [
            192, 440f, 90, // length, frequency, intensity of tone 0
            200, 0.5f, 3,
            96, 261.63f, 41,
            0, // time
        ];
        var events = new EncodedSong(3, values);
        Assert.Equal(3, EventCodec.Decode(events).Count); // decoding alone plays the faint tone at pitch 0

        SongSampler.SilenceAbsentTones(events, threshold: 40);

        var notes = EventCodec.Decode(events);
        Assert.Equal([69, 60], notes.Select(n => n.Pitch).Order().Reverse());
        Assert.Equal([0f, 0f, 0f], events.Values[3..6]);
    }
}
