namespace CrnnGan.Midi;

/// <summary>
/// Parses the events of one 'MTrk' chunk. Only note on/off, tempo and time-signature events are kept;
/// everything else is skipped by its length. Every event's delta time is added before the event is
/// interpreted, so a skipped or malformed event never shifts the events after it.
/// </summary>
internal static class TrackParser
{
    private const byte MetaStatus = 0xFF;
    private const byte MetaEndOfTrack = 0x2F;
    private const byte MetaTempo = 0x51;
    private const byte MetaTimeSignature = 0x58;

    public static SmfTrack Parse(ref ByteCursor c, int trackIndex)
    {
        try
        {
            return ParseEvents(ref c);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"track {trackIndex}: {e.Message}", e);
        }
    }

    private static SmfTrack ParseEvents(ref ByteCursor c)
    {
        var notes = new List<NoteMessage>();
        var tempos = new List<TempoChange>();
        var timeSignatures = new List<TimeSignatureChange>();
        long tick = 0;
        byte runningStatus = 0;

        while (c.Remaining > 0)
        {
            tick += c.ReadVarLen();
            byte status;
            if (c.Peek() >= 0x80)
            {
                status = c.ReadByte();
            }
            else if (runningStatus != 0)
            {
                status = runningStatus;
            }
            else
            {
                throw new InvalidDataException($"data byte 0x{c.Peek():X2} without a status at byte {c.Position}");
            }

            if (status == MetaStatus)
            {
                byte type = c.ReadByte();
                var payload = c.ReadBytes(c.ReadVarLen());
                if (type == MetaEndOfTrack)
                    break;
                if (type == MetaTempo && TryReadTempo(payload, tick, out var tempo))
                    tempos.Add(tempo);
                else if (type == MetaTimeSignature && TryReadTimeSignature(payload, tick, out var signature))
                    timeSignatures.Add(signature);
            }
            else if (status is 0xF0 or 0xF7)
            {
                c.Skip(c.ReadVarLen());
            }
            else if (status >= 0xF0)
            {
                // System common/real-time messages do not belong in files; skip them with their data bytes.
                c.Skip(status switch { 0xF2 => 2, 0xF1 or 0xF3 => 1, _ => 0 });
            }
            else
            {
                // Running status is deliberately kept across meta and sysex events: some files rely on it.
                runningStatus = status;
                ReadChannelMessage(ref c, status, tick, notes);
            }
        }
        return new SmfTrack(notes, tempos, timeSignatures, tick);
    }

    private static void ReadChannelMessage(ref ByteCursor c, byte status, long tick, List<NoteMessage> notes)
    {
        int kind = status & 0xF0;
        int dataLength = kind is 0xC0 or 0xD0 ? 1 : 2;
        // Read by length even when a data byte is above 127 (seen in real files), so the stream stays in sync.
        var data = c.ReadBytes(dataLength);
        if (kind is not (0x80 or 0x90) || data[0] > 127 || data[1] > 127)
            return; // not a note message, or a malformed one: skipped, its delta time already counted

        int channel = status & 0x0F;
        bool isOn = kind == 0x90 && data[1] > 0;
        notes.Add(new NoteMessage(tick, channel, data[0], data[1], isOn));
    }

    private static bool TryReadTempo(ReadOnlySpan<byte> payload, long tick, out TempoChange tempo)
    {
        tempo = default;
        if (payload.Length < 3)
            return false;
        int microseconds = (payload[0] << 16) | (payload[1] << 8) | payload[2];
        if (microseconds == 0)
            return false;
        tempo = new TempoChange(tick, microseconds);
        return true;
    }

    private static bool TryReadTimeSignature(ReadOnlySpan<byte> payload, long tick, out TimeSignatureChange signature)
    {
        signature = default;
        if (payload.Length < 2 || payload[0] == 0 || payload[1] > 6)
            return false;
        signature = new TimeSignatureChange(tick, payload[0], 1 << payload[1]);
        return true;
    }
}
