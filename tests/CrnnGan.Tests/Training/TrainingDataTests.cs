using CrnnGan.Midi;
using CrnnGan.Training;

namespace CrnnGan.Tests.Training;

public class TrainingDataTests
{
    /// <summary>A song of one note per quarter, pitches rising and falling, velocities as given per note.</summary>
    private static MidiSong Song(string name, int notes, Func<int, int> velocity) => new(name, 1, 384,
        Enumerable.Range(0, notes).Select(i => new Note(i * 384L, 300, 60 + i % 7, velocity(i))).ToList(), [], []);

    [Fact]
    public void ShareOfWindowsAtOneVelocityCountsWindowsCutOneAfterAnother()
    {
        var train = new[]
        {
            Song("flat", 250, _ => 80),                   // windows 0-99, 100-199 flat; 200-249 is no window
            Song("loud then soft", 200, i => i < 100 ? 100 : 40), // both windows flat, at two velocities
            Song("varied", 200, i => 50 + i % 3),         // neither
            Song("one louder note", 100, i => i == 57 ? 81 : 80),
        };
        var data = TrainingData.FromSongs("test", train, [], tonesPerCell: 1, minEvents: 100);

        Assert.Equal(4.0 / 7, data.ShareOfWindowsAtOneVelocity(100), 12);
        Assert.Equal(1.0 / 3, data.ShareOfWindowsAtOneVelocity(200), 12); // flat is, loud then soft and varied are not
    }
}
