namespace CrnnGan.Model;

/// <summary>Sizes of G and D. <see cref="FeatureCount"/> = 3 x tones per cell + 1.</summary>
/// <param name="PitchClassOutputs">Values G emits per step beside the event's features, and D reads beside them: 0, or
/// <see cref="PitchClassFeatures.PerTone"/> x tones per cell with <see cref="PitchClassHead"/>.</param>
/// <param name="DiscriminatorSongMoments">0, or the scale of the song moments D puts beside its last layer's features
/// (see <see cref="Discriminator"/>).</param>
/// <param name="DiscriminatorSongLags">0, or the scale of the song lags (how far each value moves over 1 to
/// <see cref="SongLagCount"/> steps, over the song) D puts beside its last layer's features (see <see cref="Discriminator"/>).</param>
/// <param name="DiscriminatorRhythm">0, or the scale of the rhythm D reads beside each event (see <see cref="MusicalInputs"/>).</param>
/// <param name="DiscriminatorIntervals">0, or the scale of the interval indicators D reads beside each event (see <see cref="MusicalInputs"/>).</param>
/// <param name="TimeGrid">0, or the step in ticks (at 384 per quarter note) of the smooth staircase G's written times
/// between onsets pass (<see cref="TimeStaircase"/>): G's own resolution of time.</param>
/// <param name="SongVelocity">G writes each song's velocities as a level of the song's own plus a spread of its own
/// times G's velocity output, both read from the song's noise (<see cref="GeneratorSongVelocities.WriteVelocities"/>).</param>
/// <param name="FixedVelocitySpread">With <paramref name="SongVelocity"/>: the spread keeps its start (see
/// <see cref="GeneratorSongVelocities.StartSongVelocities"/>); only the level learns.</param>
/// <param name="LabelCount">0, or the number of labels (composers or genres) G and D are conditioned on: G reads the
/// song's label as a one-hot beside its noise at every step, D reads it beside every event (see <see cref="Conditioning"/>).</param>
/// <param name="PitchChoice">G chooses each event's pitch among the 128 MIDI pitches (see <see cref="ChoiceHead"/>).</param>
/// <param name="LengthChoiceGrid">0, or the grid in ticks of the tone lengths G chooses among (see <see cref="ChoiceHead"/>).</param>
/// <param name="TimeChoiceGrid">0, or the grid in ticks of the times since the previous onset G chooses among (see <see cref="ChoiceHead"/>).</param>
/// <param name="PitchLookback">0, or how many pitches before the previous event's G reads at each step besides its
/// previous event, each as the one-hot of its entry (with <paramref name="PitchChoice"/>): the events 2 to
/// 1 + lookback steps back. Copying a pitch from a few events back is then a weight of the input, not something the
/// LSTM must carry in its state (Magenta's Lookback RNN reads the events one and two bars back for the same reason).</param>
/// <param name="PitchIntervals">0, or the widest interval in semitones that G also scores as a step from the previous
/// event's pitch (with <paramref name="PitchChoice"/>): each pitch's score is its own plus that of its interval from
/// the previous pitch. A step up is then one score whatever the pitch, learnt from every step in every key, not 128
/// separate transitions.</param>
/// <param name="PitchIntervalLags">With <paramref name="PitchIntervals"/>, from how many earlier pitches G scores
/// intervals: the events 1 to this many back (see <see cref="PitchIntervalScores"/>).</param>
/// <param name="ChordIntervals">With <paramref name="PitchIntervals"/> and <paramref name="TimeChoiceGrid"/>, G draws
/// each event's time first and scores the pitch with interval scores of their own where the tone joins the previous
/// onset (a chord's next tone) and where it starts a new one (see <see cref="PitchIntervalScores"/>).</param>
/// <param name="BarPositions">With <paramref name="TimeChoiceGrid"/>, G reads where in a bar of four quarter notes the
/// previous onset fell and scores where each time it can choose puts the next (see <see cref="Model.BarPositions"/>).</param>
/// <param name="PitchClassMemory">With <paramref name="PitchChoice"/>, G scores each pitch also by how much its class has
/// sounded so far in the song (see <see cref="Model.PitchClassMemory"/>).</param>
/// <param name="VelocityChoice">G chooses each event's velocity among 1 to 127 (see <see cref="ChoiceHead"/>).</param>
/// <param name="FigureMemory">With <paramref name="PitchChoice"/>, G scores each pitch also by how often it came after
/// the song's last one and two pitches earlier in the song (see <see cref="Model.FigureMemory"/>).</param>
/// <param name="KeyPrior">With <paramref name="PitchChoice"/> and <paramref name="SongKeyTraits"/>, the weight of the song's pitch-class
/// shares as a prior on G's pitch scores (see <see cref="Model.KeyPrior"/>); 0: none.</param>
/// <param name="SongTraits">G reads each song's traits beside its noise at every step (see <see cref="Model.SongTraits"/>).</param>
/// <param name="SongKeyTraits">With <paramref name="SongTraits"/>, the traits include the share of each pitch class.</param>
/// <param name="SongLineTraits">With <paramref name="SongTraits"/>, the traits include how the song's top line moves:
/// its shares of repeats, steps and leaps.</param>
public sealed record ModelConfig(
    int FeatureCount,
    int Hidden = 350,
    int Layers = 2,
    double Dropout = 0.5,
    double DiscriminatorInputDropout = 0.5,
    bool BidirectionalDiscriminator = true,
    int SongNoiseSize = 0,
    int PitchClassOutputs = 0,
    double DiscriminatorSongMoments = 0,
    double DiscriminatorSongLags = 0,
    bool SongVelocity = false,
    bool FixedVelocitySpread = false,
    double DiscriminatorRhythm = 0,
    double DiscriminatorIntervals = 0,
    int TimeGrid = 0,
    int LabelCount = 0,
    bool PitchChoice = false,
    int TimeChoiceGrid = 0,
    int LengthChoiceGrid = 0,
    int PitchLookback = 0,
    int PitchIntervals = 0,
    int PitchIntervalLags = 1,
    bool ChordIntervals = false,
    bool BarPositions = false,
    bool PitchClassMemory = false,
    bool VelocityChoice = false,
    bool SongTraits = false,
    bool SongKeyTraits = false,
    bool FigureMemory = false,
    double KeyPrior = 0,
    bool SongLineTraits = false)
{
    /// <summary>The longest lag, in steps, of the song lags: loops of up to four bars of four quarter notes.</summary>
    public const int SongLagCount = 16;

    /// <summary>Tones per event: <see cref="FeatureCount"/> = 3 x tones + 1.</summary>
    public int TonesPerCell => (FeatureCount - 1) / Data.EventLayout.FeaturesPerTone;

    /// <summary>What G emits per step (and reads back as its previous output), and what D reads per step.</summary>
    public int OutputCount => FeatureCount + PitchClassOutputs + ChoiceCount;

    /// <summary>The scores G emits per step for the values it chooses (see <see cref="ChoiceHead"/>).</summary>
    public int ChoiceCount => ChoiceHead.Count(PitchChoice, TimeChoiceGrid, LengthChoiceGrid, VelocityChoice);

    /// <summary>Size of G's random input per step: k = number of features per event, as in the paper's code.</summary>
    public int NoiseSize => FeatureCount;

    /// <summary>What G's input layer reads of noise each step: the step's own <see cref="NoiseSize"/> values, then
    /// <see cref="SongNoiseSize"/> values drawn once per song and repeated at every step.</summary>
    public int StepInputNoiseSize => NoiseSize + SongNoiseSize;

    public const int MaxSongNoiseSize = 4096;
    public const int MaxPitchLookback = 64;
    public const int MaxPitchIntervals = Data.Tuning.MaxPitch;
    public const int MaxPitchIntervalLags = 64;

    /// <summary>What G reads of its lookback at each step: a one-hot of 128 pitches per event looked back at.</summary>
    public int LookbackInputCount => PitchLookback * (Data.Tuning.MaxPitch + 1);
    public const int MaxLabelCount = 1000;

    /// <summary>What G's input layer reads beside the events: its noise, each song's label and each song's traits.</summary>
    public int GeneratorInputNoiseSize => StepInputNoiseSize + LabelCount + SongTraitCount;

    /// <summary>The traits G reads of each song (see <see cref="Model.SongTraits"/>); 0 without.</summary>
    public int SongTraitCount => SongTraits ? Model.SongTraits.CountFor(SongKeyTraits, SongLineTraits) : 0;

    public void Validate()
    {
        if (FeatureCount < 1) throw new ArgumentException($"feature count must be positive, got {FeatureCount}");
        if (Hidden < 1) throw new ArgumentException($"model.hidden must be positive, got {Hidden}");
        if (Layers < 1) throw new ArgumentException($"model.layers must be positive, got {Layers}");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"model.dropout must be in [0, 1), got {Dropout}");
        if (SongNoiseSize is < 0 or > MaxSongNoiseSize) throw new ArgumentException($"model.song_noise must be 0 to {MaxSongNoiseSize}, got {SongNoiseSize}");
        if (PitchClassOutputs < 0) throw new ArgumentException($"pitch-class outputs must not be negative, got {PitchClassOutputs}");
        if (DiscriminatorSongMoments < 0 || !double.IsFinite(DiscriminatorSongMoments)) throw new ArgumentException($"model.d_song_moments must be 0 or more, got {DiscriminatorSongMoments}");
        if (DiscriminatorSongLags < 0 || !double.IsFinite(DiscriminatorSongLags)) throw new ArgumentException($"model.d_song_lags must be 0 or more, got {DiscriminatorSongLags}");
        if (DiscriminatorRhythm < 0 || !double.IsFinite(DiscriminatorRhythm)) throw new ArgumentException($"model.d_rhythm must be 0 or more, got {DiscriminatorRhythm}");
        if (DiscriminatorIntervals < 0 || !double.IsFinite(DiscriminatorIntervals)) throw new ArgumentException($"model.d_intervals must be 0 or more, got {DiscriminatorIntervals}");
        if (TimeGrid is < 0 or > Data.EventLayout.NormalizedTicksPerQuarter) throw new ArgumentException($"model.time_grid must be 0 to {Data.EventLayout.NormalizedTicksPerQuarter} ticks, got {TimeGrid}");
        if (SongVelocity && SongNoiseSize == 0) throw new ArgumentException("model.song_velocity reads each song's level and spread of velocity from its noise: it needs model.song_noise 1 or more");
        if (FixedVelocitySpread && !SongVelocity) throw new ArgumentException("model.fixed_velocity_spread fixes the spread of model.song_velocity: turn both on");
        if (SongVelocity && FeatureCount != 4) throw new ArgumentException("model.song_velocity needs one tone per cell: a multi-tone cell says a tone is absent by its velocity");
        if (LabelCount is < 0 or 1 or > MaxLabelCount) throw new ArgumentException($"a conditioned model has 2 to {MaxLabelCount} labels, got {LabelCount}");
        if ((PitchChoice || TimeChoiceGrid != 0 || LengthChoiceGrid != 0 || VelocityChoice) && FeatureCount != 4)
            throw new ArgumentException("model.pitch_choice, model.time_choice, model.length_choice and model.velocity_choice need one tone per cell");
        if (VelocityChoice && SongVelocity) throw new ArgumentException("model.velocity_choice draws each velocity itself: turn model.song_velocity off");
        if (LengthChoiceGrid is < 0 or > Data.EventLayout.NormalizedTicksPerQuarter) throw new ArgumentException($"model.length_choice must be 0 to {Data.EventLayout.NormalizedTicksPerQuarter} ticks, got {LengthChoiceGrid}");
        if (PitchChoice && PitchClassOutputs > 0) throw new ArgumentException("model.pitch_choice chooses the pitch itself: turn model.pitch_class_head off");
        if (TimeChoiceGrid is < 0 or > Data.EventLayout.NormalizedTicksPerQuarter) throw new ArgumentException($"model.time_choice must be 0 to {Data.EventLayout.NormalizedTicksPerQuarter} ticks, got {TimeChoiceGrid}");
        if (TimeChoiceGrid > 0 && TimeGrid > 0) throw new ArgumentException("model.time_choice chooses the time on its own grid: turn model.time_grid off");
        if (PitchLookback is < 0 or > MaxPitchLookback) throw new ArgumentException($"model.pitch_lookback must be 0 to {MaxPitchLookback}, got {PitchLookback}");
        if (PitchLookback > 0 && !PitchChoice) throw new ArgumentException("model.pitch_lookback reads back the pitches G chose: turn model.pitch_choice on");
        if (PitchIntervals is < 0 or > MaxPitchIntervals) throw new ArgumentException($"model.pitch_intervals must be 0 to {MaxPitchIntervals} semitones, got {PitchIntervals}");
        if (PitchIntervalLags is < 1 or > MaxPitchIntervalLags) throw new ArgumentException($"model.pitch_interval_lags must be 1 to {MaxPitchIntervalLags}, got {PitchIntervalLags}");
        if (ChordIntervals && (PitchIntervals == 0 || TimeChoiceGrid == 0)) throw new ArgumentException("model.chord_intervals needs model.pitch_intervals and model.time_choice");
        if (BarPositions && (TimeChoiceGrid == 0 || Model.BarPositions.BarTicks % TimeChoiceGrid != 0))
            throw new ArgumentException($"model.bar_positions needs model.time_choice on a grid that divides a bar of {Model.BarPositions.BarTicks} ticks");
        if (KeyPrior is < 0 or > 10 || double.IsNaN(KeyPrior)) throw new ArgumentException($"model.key_prior must be 0 to 10, got {KeyPrior}");
        if (KeyPrior > 0 && !(PitchChoice && SongKeyTraits)) throw new ArgumentException("model.key_prior weighs the pitches G chooses by the song's key: turn model.pitch_choice and model.song_key_traits on");
        if (FigureMemory && !PitchChoice) throw new ArgumentException("model.figure_memory scores the pitches G chooses: turn model.pitch_choice on");
        if (PitchClassMemory && !PitchChoice) throw new ArgumentException("model.pitch_class_memory scores the pitches G chooses: turn model.pitch_choice on");
        if (PitchIntervals > 0 && !PitchChoice) throw new ArgumentException("model.pitch_intervals scores the pitches G chooses: turn model.pitch_choice on");
        if (DiscriminatorInputDropout is < 0 or >= 1) throw new ArgumentException($"model.d_input_dropout must be in [0, 1), got {DiscriminatorInputDropout}");
        if (SongTraits && FeatureCount != 4) throw new ArgumentException("model.song_traits needs one tone per cell");
        if (SongKeyTraits && !SongTraits) throw new ArgumentException("model.song_key_traits adds to model.song_traits: turn both on");
        if (SongLineTraits && !SongTraits) throw new ArgumentException("model.song_line_traits adds to model.song_traits: turn both on");
    }
}
