namespace CrnnGan.Midi;

/// <summary>
/// Spreads notes over as few voices (tracks) as first-fit allows, so that within a voice no two notes of
/// the same channel and pitch overlap. Only then can a reader that pairs note-on/off per (track, channel, pitch)
/// recover every note's own end.
/// </summary>
internal static class VoiceAllocator
{
    /// <summary>Voices in order of creation; each voice's notes are ordered by start tick, then length.</summary>
    public static List<List<Note>> Allocate(IEnumerable<Note> notes)
    {
        var voices = new List<List<Note>>();
        var lastEnds = new List<Dictionary<int, long>>(); // per voice: key -> end tick of the latest note
        foreach (var note in notes.OrderBy(n => n.StartTick).ThenBy(n => n.LengthTicks).ThenBy(n => n.Channel).ThenBy(n => n.Pitch))
        {
            int key = note.Channel * 128 + note.Pitch;
            int voice = lastEnds.FindIndex(ends => !ends.TryGetValue(key, out long end) || end <= note.StartTick);
            if (voice < 0)
            {
                voice = voices.Count;
                voices.Add([]);
                lastEnds.Add([]);
            }
            voices[voice].Add(note);
            lastEnds[voice][key] = note.EndTick;
        }
        return voices;
    }
}
