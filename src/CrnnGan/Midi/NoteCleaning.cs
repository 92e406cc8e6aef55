namespace CrnnGan.Midi;

/// <summary>What crnngan leaves out of or merges in the notes it trains on and writes.</summary>
public static class NoteCleaning
{
    /// <summary>The General MIDI percussion channel (10, 0-based 9): its notes are drum sounds, not pitches.</summary>
    public const int PercussionChannel = 9;

    /// <summary>The notes without those of <see cref="PercussionChannel"/>.</summary>
    public static IReadOnlyList<Note> WithoutPercussion(IReadOnlyList<Note> notes) =>
        notes.Any(n => n.Channel == PercussionChannel) ? notes.Where(n => n.Channel != PercussionChannel).ToArray() : notes;

    /// <summary>
    /// One note for each pitch started more than once at one tick (on one channel when <paramref name="byChannel"/>,
    /// otherwise on any): on one instrument a second start of a sounding pitch is not heard as a second note. The merged
    /// note keeps the first one's place, the longest length and the loudest velocity.
    /// </summary>
    public static IReadOnlyList<Note> MergeSameStart(IReadOnlyList<Note> notes, bool byChannel = true)
    {
        var seen = new Dictionary<(long Start, int Pitch, int Channel), int>();
        var kept = new List<Note>(notes.Count);
        foreach (var note in notes)
        {
            var key = (note.StartTick, note.Pitch, byChannel ? note.Channel : 0);
            if (seen.TryGetValue(key, out int at))
            {
                var first = kept[at];
                kept[at] = first with { LengthTicks = Math.Max(first.LengthTicks, note.LengthTicks), Velocity = Math.Max(first.Velocity, note.Velocity) };
                continue;
            }
            seen[key] = kept.Count;
            kept.Add(note);
        }
        return kept.Count == notes.Count ? notes : kept;
    }
}
