using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// The highest and the lowest pitch of the onset before the one a tone belongs to: the tune's and the bass's previous
/// note, whichever order the tones of an onset are written in (<see cref="PitchIntervalScores"/> with onset intervals).
/// Tones join an onset when their time since the previous one is the time table's first entry (0). Only the last
/// <c>window</c> events read are looked at: where the previous onset does not lie wholly among them, or there is none,
/// a song has no reference (-1).
/// </summary>
internal sealed class OnsetReferences
{
    /// <summary>How many of the last events G looks among: more than any onset of the corpus holds tones.</summary>
    public const int Window = 32;

    private readonly int _pitchAt, _pitches, _timeAt, _timeEntries, _window;

    /// <param name="pitchAt">Where the pitch one-hot lies in an event; <paramref name="pitches"/> its width.</param>
    /// <param name="timeAt">Where the time one-hot lies in an event; <paramref name="timeEntries"/> its width.</param>
    public OnsetReferences(int pitchAt, int pitches, int timeAt, int timeEntries, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        (_pitchAt, _pitches, _timeAt, _timeEntries, _window) = (pitchAt, pitches, timeAt, timeEntries, window);
    }

    /// <summary>Per song (batch), the highest and lowest pitch of the previous onset, for the step that has read
    /// <paramref name="read"/> (its last entry is the previous event) and whose tone joins the previous event's onset
    /// where <paramref name="sameOnset"/> (batch, 1) is 1.</summary>
    public (long[] Highest, long[] Lowest) Of(IReadOnlyList<Tensor> read, Tensor sameOnset)
    {
        int count = Math.Min(_window, read.Count);
        using var scope = NewDisposeScope();
        var events = stack(Enumerable.Range(read.Count - count, count).Select(i => read[i]), dim: 1);
        var (pitches, joins) = PitchesAndJoins(events);
        long batch = events.shape[0];
        var current = sameOnset.reshape(batch).to(ScalarType.Bool).data<bool>().ToArray();
        var (highest, lowest) = (new long[batch], new long[batch]);
        for (int b = 0; b < batch; b++)
            (highest[b], lowest[b]) = Find(pitches, joins, b * count, count, read.Count > count, current[b]);
        return (highest, lowest);
    }

    /// <summary>As <see cref="Of(IReadOnlyList{Tensor}, Tensor)"/> for every step at once: <paramref name="previous"/>
    /// (batch, length, outputs) the event each step read as its previous one, <paramref name="sameOnset"/> (batch, length, 1);
    /// the references are (batch x length), row-major.</summary>
    public (long[] Highest, long[] Lowest) OfEveryStep(Tensor previous, Tensor sameOnset)
    {
        using var scope = NewDisposeScope();
        var (pitches, joins) = PitchesAndJoins(previous);
        long batch = previous.shape[0], length = previous.shape[1];
        var current = sameOnset.reshape(batch * length).to(ScalarType.Bool).data<bool>().ToArray();
        var (highest, lowest) = (new long[batch * length], new long[batch * length]);
        for (long b = 0; b < batch; b++)
            for (long t = 0; t < length; t++)
            {
                // Step t has read events 0..t of the song; the last `window` of them are looked at.
                int count = (int)Math.Min(_window, t + 1);
                long at = b * length + t;
                (highest[at], lowest[at]) = Find(pitches, joins, (int)(at - count + 1), count, t + 1 > count, current[at]);
            }
        return (highest, lowest);
    }

    /// <summary>Each event's pitch and whether it joins the previous event's onset, row-major over (…) of <paramref name="events"/>.</summary>
    private (long[] Pitches, bool[] Joins) PitchesAndJoins(Tensor events)
    {
        var pitches = events[TensorIndex.Ellipsis, _pitchAt..(_pitchAt + _pitches)].argmax(-1).flatten().data<long>().ToArray();
        var joins = events[TensorIndex.Ellipsis, _timeAt..(_timeAt + _timeEntries)].argmax(-1).eq(0).flatten().data<bool>().ToArray();
        return (pitches, joins);
    }

    /// <summary>The references among the <paramref name="count"/> events from <paramref name="start"/> (the last is the
    /// previous event); <paramref name="earlier"/>: events before these were read but are not looked at.</summary>
    private static (long Highest, long Lowest) Find(long[] pitches, bool[] joins, int start, int count, bool earlier, bool joinsPrevious)
    {
        int end = start + count - 1;
        if (joinsPrevious)
        {
            int first = OnsetStart(joins, start, end);
            if (first == start) return (-1, -1); // the tone's own onset reaches back to the first event looked at (or the song's start)
            end = first - 1;
        }
        int onsetStart = OnsetStart(joins, start, end);
        if (onsetStart == start && joins[start] && earlier) return (-1, -1); // the previous onset may reach farther back
        long highest = long.MinValue, lowest = long.MaxValue;
        for (int i = onsetStart; i <= end; i++)
            (highest, lowest) = (Math.Max(highest, pitches[i]), Math.Min(lowest, pitches[i]));
        return (highest, lowest);
    }

    /// <summary>The first event of the onset that event <paramref name="last"/> belongs to, not before <paramref name="start"/>.</summary>
    private static int OnsetStart(bool[] joins, int start, int last)
    {
        int i = last;
        while (i > start && joins[i]) i--;
        return i;
    }
}
