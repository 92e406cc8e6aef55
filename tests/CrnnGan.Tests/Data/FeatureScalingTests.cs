using CrnnGan.Data;

namespace CrnnGan.Tests.Data;

public class FeatureScalingTests
{
    private static EncodedSong RealisticSong(int seed, int tonesPerCell) =>
        EventCodec.Encode(TestSongs.RealisticNotes(new Random(seed)), 384, tonesPerCell);

    private static FeatureScaling FitRealistic(int tonesPerCell) =>
        FeatureScaling.Fit(Enumerable.Range(1, 8).Select(seed => RealisticSong(seed, tonesPerCell)));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void UnscaleOfScale_RestoresTheValues(int tonesPerCell)
    {
        var random = new Random(7 + tonesPerCell);
        foreach (FeatureScaling scaling in new[] { FeatureScaling.Default, FitRealistic(tonesPerCell) })
        {
            for (int i = 0; i < 50; i++)
            {
                EncodedSong song = EventCodec.Encode(TestSongs.RandomNotes(random), 384, tonesPerCell, "random");

                EncodedSong restored = scaling.Unscale(scaling.Scale(song), tonesPerCell, song.SourceName);

                Assert.Equal((song.TonesPerCell, song.EventCount, song.SourceName), (restored.TonesPerCell, restored.EventCount, restored.SourceName));
                for (int v = 0; v < song.Values.Length; v++)
                {
                    float expected = song.Values[v], actual = restored.Values[v];
                    Assert.True(Math.Abs(actual - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)),
                        $"value {v}: expected {expected}, got {actual}");
                }
            }
        }
    }

    [Fact]
    public void Scale_LeavesTheSongUntouched_AndInPlaceMatchesCopy()
    {
        EncodedSong song = RealisticSong(42, 3);
        float[] original = (float[])song.Values.Clone();
        FeatureScaling scaling = FitRealistic(3);

        float[] scaled = scaling.Scale(song);
        float[] inPlace = (float[])song.Values.Clone();
        scaling.ScaleInPlace(inPlace, 3);

        Assert.Equal(original, song.Values);
        Assert.Equal(scaled, inPlace);
        Assert.NotEqual(original, scaled);
        scaling.UnscaleInPlace(inPlace, 3);
        Assert.Equal(scaling.Unscale(scaled, 3).Values, inPlace);
    }

    [Fact]
    public void FittedScaling_GivesUnseenRealisticSongZeroMeanUnitMagnitude()
    {
        FeatureScaling scaling = FitRealistic(1);
        EncodedSong unseen = RealisticSong(99, 1);

        float[] scaled = scaling.Scale(unseen);

        for (int feature = 0; feature < unseen.FeatureCount; feature++)
        {
            double[] column = Column(scaled, unseen.FeatureCount, feature);
            double mean = column.Average();
            double rms = Math.Sqrt(column.Average(x => x * x));
            Assert.InRange(mean, -0.3, 0.3);
            Assert.InRange(rms, 0.7, 1.5);
        }
    }

    [Fact]
    public void DefaultScaling_KeepsRealisticValuesNearUnitRange()
    {
        float[] scaled = FeatureScaling.Default.Scale(RealisticSong(5, 1));

        Assert.All(scaled, x => Assert.InRange(x, -3f, 5f));
        Assert.InRange(scaled.Select(x => (double)x * x).Average(), 0.05, 4);
    }

    [Fact]
    public void Fit_IgnoresAbsentTonesOfMultiToneCells()
    {
        FeatureScaling oneTone = FitRealistic(1);
        FeatureScaling threeTones = FitRealistic(3);

        AssertClose(oneTone.Length, threeTones.Length);
        AssertClose(oneTone.Frequency, threeTones.Frequency);
        AssertClose(oneTone.Intensity, threeTones.Intensity);
        // Times are per event, and chords become fewer events, so the time statistics legitimately differ.
        Assert.NotEqual(oneTone.Time.Offset, threeTones.Time.Offset);
    }

    [Fact]
    public void Fit_WithoutData_FallsBackToDefault()
    {
        FeatureScaling fitted = FeatureScaling.Fit([]);

        Assert.Equal(FeatureScaling.Default.Length, fitted.Length);
        Assert.Equal(FeatureScaling.Default.Frequency, fitted.Frequency);
        Assert.Equal(FeatureScaling.Default.Intensity, fitted.Intensity);
        Assert.Equal(FeatureScaling.Default.Time, fitted.Time);
    }

    [Fact]
    public void FrequencyWarp_IsInvertibleAndMapsSilenceToZero()
    {
        Assert.Equal(0, FeatureScaling.WarpFrequency(0));
        foreach (double hz in new[] { 8.18, 261.63, 440, 12543.85 })
            Assert.Equal(hz, FeatureScaling.UnwarpFrequency(FeatureScaling.WarpFrequency(hz)), 9);
        // Nearly logarithmic in the musical range: an octave up is close to +1.
        double octave = FeatureScaling.WarpFrequency(880) - FeatureScaling.WarpFrequency(440);
        Assert.InRange(octave, 0.9, 1.0);
    }

    [Fact]
    public void Json_RoundTripsExactly()
    {
        FeatureScaling fitted = FitRealistic(3);

        FeatureScaling restored = FeatureScaling.FromJson(fitted.ToJson());

        Assert.Equal(fitted.Length, restored.Length);
        Assert.Equal(fitted.Frequency, restored.Frequency);
        Assert.Equal(fitted.Intensity, restored.Intensity);
        Assert.Equal(fitted.Time, restored.Time);
        EncodedSong song = RealisticSong(3, 3);
        Assert.Equal(fitted.Scale(song), restored.Scale(song));
    }

    [Fact]
    public void Json_RejectsNonPositiveScale()
    {
        string json = FeatureScaling.Default.ToJson().Replace("\"Scale\": 127", "\"Scale\": 0");

        Assert.Throws<ArgumentException>(() => FeatureScaling.FromJson(json));
    }

    private static void AssertClose(OffsetScale expected, OffsetScale actual)
    {
        Assert.Equal(expected.Offset, actual.Offset, 6);
        Assert.Equal(expected.Scale, actual.Scale, 6);
    }

    private static double[] Column(float[] values, int featureCount, int feature) =>
        Enumerable.Range(0, values.Length / featureCount).Select(e => (double)values[e * featureCount + feature]).ToArray();
}
