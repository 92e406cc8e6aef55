namespace CrnnGan.Midi;

/// <summary>
/// Turns one track's note-on/note-off messages into notes. Pairing is per (channel, pitch) and first-in first-out:
/// an off closes the oldest open note of its key. An off with nothing open is ignored; a note still open at the end
/// of the track gets <c>unclosedLength</c> ticks. On and off at the same tick give a note of length 0, which is kept.
/// </summary>
internal static class NotePairer
{
    private readonly record struct OpenNote(long StartTick, int Velocity);

    public static void Pair(IReadOnlyList<NoteMessage> messages, int track, long tickOffset, long unclosedLength, List<Note> into)
    {
        var open = new Dictionary<int, Queue<OpenNote>>();
        foreach (var m in messages)
        {
            int key = m.Channel * 128 + m.Pitch;
            if (m.IsOn)
            {
                if (!open.TryGetValue(key, out var queue))
                    open[key] = queue = new Queue<OpenNote>();
                queue.Enqueue(new OpenNote(m.Tick, m.Velocity));
            }
            else if (open.TryGetValue(key, out var queue) && queue.TryDequeue(out var started))
            {
                into.Add(new Note(started.StartTick + tickOffset, m.Tick - started.StartTick, m.Pitch, started.Velocity, m.Channel, track));
            }
        }

        foreach (var (key, queue) in open)
        {
            foreach (var started in queue)
                into.Add(new Note(started.StartTick + tickOffset, unclosedLength, key % 128, started.Velocity, key / 128, track));
        }
    }
}
