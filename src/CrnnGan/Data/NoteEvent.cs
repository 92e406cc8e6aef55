namespace CrnnGan.Data;

/// <summary>
/// One tone of an event: length (ticks at 384 per quarter), frequency (Hz), intensity (velocity), plus the event's
/// shared time since the previous event began (ticks at 384 per quarter). An absent tone is all zero.
/// </summary>
public readonly record struct NoteEvent(double Length, double Frequency, double Intensity, double TimeSincePrevious);
