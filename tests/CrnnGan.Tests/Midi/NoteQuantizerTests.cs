using CrnnGan.Midi;

namespace CrnnGan.Tests.Midi;

public class NoteQuantizerTests
{
    [Fact]
    public void StartsAndEndsGoToTheNearestStepAndNoNoteVanishes()
    {
        Note[] notes = [new(50, 100, 60, 80), new(100, 10, 64, 70), new(95, 5, 60, 90)];

        var snapped = NoteQuantizer.Snap(notes, 96);

        // 50..150 -> 96..192; 100..110 -> 96..96, so one step; 95..100 is the same pitch as the first at 96: one note.
        Assert.Equal([new Note(96, 96, 60, 90), new Note(96, 96, 64, 70)], snapped);
    }
}
