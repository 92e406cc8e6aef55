using CrnnGan.Bench;

if (args is ["midi-corpus", var root])
    return MidiCorpusCheck.Run(root);

Console.WriteLine("usage: CrnnGan.Bench midi-corpus <folder>");
return 1;
