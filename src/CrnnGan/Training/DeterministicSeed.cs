namespace CrnnGan.Training;

/// <summary>Seeds derived from a run's seed that are the same in every process (unlike HashCode, which is randomised per process).</summary>
public static class DeterministicSeed
{
    public static int Of(int seed, int stream)
    {
        ulong x = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)stream * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL);
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return (int)((x ^ (x >> 31)) & 0x7FFFFFFF);
    }
}
