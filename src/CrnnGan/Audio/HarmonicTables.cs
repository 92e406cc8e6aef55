namespace CrnnGan.Audio;

/// <summary>
/// One cycle of a bright and of a mellow tone, each built with 1 to <see cref="MaxHarmonics"/> harmonics, so a
/// note can use only the harmonics that stay below <see cref="HighestPartialHz"/> (higher ones would fold back
/// as aliasing). Every table is scaled to a peak of 1 and holds one extra sample, a copy of the first, so linear
/// interpolation never needs to wrap.
/// </summary>
internal static class HarmonicTables
{
    public const int Size = 2048;
    public const int MaxHarmonics = 16;
    public const double HighestPartialHz = 16_000;

    private static readonly float[][] Bright = BuildAll(harmonic => Math.Pow(harmonic, -1.1));
    private static readonly float[][] Mellow = BuildAll(harmonic => Math.Pow(harmonic, -2.5));

    public static int HarmonicsFor(double frequency, int sampleRate)
    {
        double highest = Math.Min(HighestPartialHz, 0.45 * sampleRate);
        return (int)Math.Clamp(Math.Floor(highest / frequency), 1, MaxHarmonics);
    }

    public static float[] BrightTable(int harmonics) => Bright[harmonics];

    public static float[] MellowTable(int harmonics) => Mellow[harmonics];

    /// <summary>Index h holds the table with harmonics 1..h; index 0 is unused.</summary>
    private static float[][] BuildAll(Func<int, double> amplitude)
    {
        var tables = new float[MaxHarmonics + 1][];
        tables[0] = [];
        for (int harmonics = 1; harmonics <= MaxHarmonics; harmonics++)
            tables[harmonics] = Build(harmonics, amplitude);
        return tables;
    }

    private static float[] Build(int harmonics, Func<int, double> amplitude)
    {
        var cycle = new double[Size];
        for (int h = 1; h <= harmonics; h++)
        {
            double a = amplitude(h);
            for (int i = 0; i < Size; i++)
                cycle[i] += a * Math.Sin(2 * Math.PI * h * i / Size);
        }
        double peak = cycle.Max(Math.Abs);
        var table = new float[Size + 1];
        for (int i = 0; i < Size; i++)
            table[i] = (float)(cycle[i] / peak);
        table[Size] = table[0];
        return table;
    }
}
