using CrnnGan.Data;
using CrnnGan.Midi;

namespace CrnnGan.Tests.Data;

public class EventCodecTests
{
    private static float Hz(int pitch) => (float)Tuning.PitchToFrequency(pitch);

    private static float[] Row(EncodedSong song, int index) => song.Event(index).ToArray();

    [Fact]
    public void Encode_OneTonePerCell_GivesExactEventsNormalisedTo384Tpq()
    {
        // 96 tpq: every tick is 4 normalised ticks. Given out of order, on several channels/tracks.
        Note[] notes =
        [
            new(96, 48, 64, 80, Channel: 2, Track: 1), // C-major chord at beat 1 (E)
            new(96, 96, 60, 100),                      // C
            new(288, 24, 72, 127, Channel: 5),         // after a rest, beat 3
            new(96, 96, 67, 90, Track: 3),             // G
        ];
        var song = new MidiSong("hand-made", 1, 96, notes, [], []);

        EncodedSong encoded = EventCodec.Encode(song);

        Assert.Equal(1, encoded.TonesPerCell);
        Assert.Equal(4, encoded.FeatureCount);
        Assert.Equal(4, encoded.EventCount);
        Assert.Equal("hand-made", encoded.SourceName);
        // length, frequency, intensity, time since previous event began
        Assert.Equal([384f, Hz(60), 100f, 384f], Row(encoded, 0)); // first time is measured from tick 0
        Assert.Equal([192f, Hz(64), 80f, 0f], Row(encoded, 1));
        Assert.Equal([384f, Hz(67), 90f, 0f], Row(encoded, 2));
        Assert.Equal([96f, Hz(72), 127f, 768f], Row(encoded, 3));
        Assert.Equal(440f, (float)Tuning.PitchToFrequency(69));
        Assert.Equal(new NoteEvent(96, Hz(72), 127, 768), encoded.Tone(3, 0));
    }

    [Fact]
    public void Encode_NonIntegerTickRatio_IsNotRounded()
    {
        EncodedSong encoded = EventCodec.Encode([new Note(100, 50, 60, 64)], ticksPerQuarter: 480);

        Assert.Equal([40f, Hz(60), 64f, 80f], Row(encoded, 0));
    }

    [Fact]
    public void Encode_ThreeTonesPerCell_GroupsChordsAscendingAndZeroFillsAbsentTones()
    {
        Note[] notes =
        [
            new(0, 384, 67, 70), new(0, 384, 60, 71), new(0, 384, 64, 72),           // triad: one event
            new(384, 192, 62, 73),                                                     // single note: two absent tones
            new(768, 96, 48, 74), new(768, 96, 55, 75), new(768, 96, 72, 77), new(768, 96, 64, 76), // 4 notes: two events
            new(1152, 384, 50, 78), new(1152, 384, 53, 79),                            // dyad: one absent tone
        ];

        EncodedSong encoded = EventCodec.Encode(notes, 384, tonesPerCell: 3);

        Assert.Equal(10, encoded.FeatureCount);
        Assert.Equal(5, encoded.EventCount);
        Assert.Equal([384f, Hz(60), 71f, 384f, Hz(64), 72f, 384f, Hz(67), 70f, 0f], Row(encoded, 0));
        Assert.Equal([192f, Hz(62), 73f, 0f, 0f, 0f, 0f, 0f, 0f, 384f], Row(encoded, 1));
        Assert.Equal([96f, Hz(48), 74f, 96f, Hz(55), 75f, 96f, Hz(64), 76f, 384f], Row(encoded, 2));
        Assert.Equal([96f, Hz(72), 77f, 0f, 0f, 0f, 0f, 0f, 0f, 0f], Row(encoded, 3));
        Assert.Equal([384f, Hz(50), 78f, 384f, Hz(53), 79f, 0f, 0f, 0f, 384f], Row(encoded, 4));
        Assert.Equal(new NoteEvent(0, 0, 0, 384), encoded.Tone(4, 2));
    }

    [Fact]
    public void Encode_EmptySong_HasNoEvents()
    {
        EncodedSong encoded = EventCodec.Encode([], 480, tonesPerCell: 3);

        Assert.Equal(0, encoded.EventCount);
        Assert.Empty(encoded.Values);
        Assert.Empty(EventCodec.Decode(encoded));
    }

    [Fact]
    public void Layout_PutsEachToneValueAndTheSharedTimeWhereDocumented()
    {
        Assert.Equal(4, EventLayout.FeatureCount(1));
        Assert.Equal(10, EventLayout.FeatureCount(3));
        Assert.Equal((6, 7, 8, 9), (EventLayout.LengthIndex(2), EventLayout.FrequencyIndex(2), EventLayout.IntensityIndex(2), EventLayout.TimeIndex(3)));
        FeatureKind[] kinds = Enumerable.Range(0, 10).Select(i => EventLayout.KindOf(i, 3)).ToArray();
        Assert.Equal(
            [FeatureKind.Length, FeatureKind.Frequency, FeatureKind.Intensity,
             FeatureKind.Length, FeatureKind.Frequency, FeatureKind.Intensity,
             FeatureKind.Length, FeatureKind.Frequency, FeatureKind.Intensity, FeatureKind.Time],
            kinds);
        Assert.Throws<ArgumentOutOfRangeException>(() => EventLayout.FeatureCount(0));
    }

    [Fact]
    public void Decode_AppliesRoundingClampingAndDropRules()
    {
        float[] values =
        [
            // length, frequency, intensity, time
            100.4f, 450f, 64.5f, 10.6f,      // start 11 (rounded sum), pitch 69 (nearest to 450 Hz), velocity 65
            50f, 262f, 0.4f, 5f,             // intensity rounds to 0: no note, but its time still counts
            0.4f, 262f, 90f, 0f,             // length rounds to 0: no note
            -20f, 262f, 90f, 0f,             // negative length: no note
            30f, 100_000f, 300f, -50f,       // negative time counts as 0 (start 15.6 -> 16); pitch clamps to 127, velocity to 127
            30f, 1f, 1.2f, 1.5f,             // 1 Hz clamps to pitch 0; velocity 1; start 15.6 + 1.5 -> 17
            30f, -5f, 60f, 0f,               // non-positive frequency -> pitch 0, started again at 17: one note, the louder
        ];

        List<Note> notes = EventCodec.Decode(new EncodedSong(1, values));

        Assert.Equal([new Note(11, 100, 69, 65), new Note(16, 30, 127, 127), new Note(17, 30, 0, 60)], notes);
    }

    [Fact]
    public void Decode_SkipsAbsentTonesOfAMultiToneCell()
    {
        float[] values = [384f, Hz(60), 90f, 0f, 0f, 0f, 192f, Hz(64), 80f, 96f];

        List<Note> notes = EventCodec.Decode(new EncodedSong(3, values));

        Assert.Equal([new Note(96, 384, 60, 90), new Note(96, 192, 64, 80)], notes);
    }

    [Theory]
    [InlineData(69, 440.0)]
    [InlineData(60, 261.6255653005986)]
    [InlineData(0, 8.175798915643707)]
    [InlineData(127, 12543.853951415975)]
    public void Tuning_FollowsTheMidiTuningStandard(int pitch, double hz)
    {
        Assert.Equal(hz, Tuning.PitchToFrequency(pitch), 9);
        Assert.Equal(pitch, Tuning.FrequencyToPitch(hz));
        Assert.Equal(pitch, Tuning.FrequencyToPitch(hz * Math.Pow(2, 0.49 / 12)));
        Assert.Equal(pitch, Tuning.FrequencyToPitch(hz * Math.Pow(2, -0.49 / 12)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void EncodeThenDecode_RandomSongs_GivesBackTheSameNotes(int tonesPerCell)
    {
        var random = new Random(20160101 + tonesPerCell);
        for (int songIndex = 0; songIndex < 400; songIndex++)
        {
            List<Note> notes = TestSongs.RandomNotes(random);

            List<Note> decoded = EventCodec.Decode(EventCodec.Encode(notes, 384, tonesPerCell));

            Assert.Equal(Canonical(NoteCleaning.MergeSameStart(NoteCleaning.WithoutPercussion(notes), byChannel: false)), Canonical(decoded));
            Assert.All(decoded, n => Assert.Equal((0, 0), (n.Channel, n.Track)));
        }
    }

    [Fact]
    public void PercussionIsLeftOutAndAPitchStartedTwiceAtOneTickIsOneNote()
    {
        Note[] notes =
        [
            new(0, 96, 60, 80), new(0, 192, 60, 100, Channel: 3), // doubled on two channels: one note, longest and loudest
            new(0, 96, 36, 120, Channel: 9), new(96, 96, 42, 120, Channel: 9), // drums
            new(96, 96, 62, 70),
        ];

        var decoded = EventCodec.Decode(EventCodec.Encode(notes, 384));

        Assert.Equal([new Note(0, 192, 60, 100), new Note(96, 96, 62, 70)], decoded);
    }

    private static List<(long, long, int, int)> Canonical(IEnumerable<Note> notes) =>
        notes.Select(n => (n.StartTick, n.LengthTicks, n.Pitch, n.Velocity)).Order().ToList();
}
