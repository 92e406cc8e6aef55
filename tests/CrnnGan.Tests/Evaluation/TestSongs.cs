using CrnnGan.Midi;

namespace CrnnGan.Tests.Evaluation;

internal static class TestSongs
{
    public const int Beat = 480;

    /// <summary>One note per beat, in the given order, all at velocity 100.</summary>
    public static Note[] Melody(params int[] pitches) =>
        pitches.Select((pitch, i) => new Note(i * Beat, Beat, pitch, 100)).ToArray();
}
