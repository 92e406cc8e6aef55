using System.Text;
using System.Text.RegularExpressions;

namespace CrnnGan.Tests;

/// <summary>
/// Every relative link and picture in the repository's Markdown (README.md, docs/, bench/) leads to a file that exists,
/// and every #anchor to a heading of its page, so that moving docs or removing result files cannot leave a dead link.
/// </summary>
public partial class DocumentationLinksTests
{
    [GeneratedRegex(@"!?\[[^\]]*\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^```")]
    private static partial Regex Fence();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "crnngan.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("no crnngan.sln above the test binaries");
    }

    private static IEnumerable<string> MarkdownFiles(string root) =>
        new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "bench"), "*.md", SearchOption.AllDirectories)
                .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") &&
                            !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")));

    /// <summary>The links of a page outside code blocks and inline code.</summary>
    private static IEnumerable<string> Links(string page)
    {
        bool inFence = false;
        foreach (string line in File.ReadLines(page))
        {
            if (Fence().IsMatch(line.TrimStart())) { inFence = !inFence; continue; }
            if (inFence) continue;
            string prose = Regex.Replace(line, "`[^`]*`", "");
            foreach (Match m in Link().Matches(prose))
                yield return m.Groups[1].Value;
        }
    }

    /// <summary>GitHub's anchor of a heading: lower case, punctuation other than - and _ dropped, spaces as -.</summary>
    internal static string Anchor(string heading)
    {
        var text = new StringBuilder();
        foreach (char c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_') text.Append(c);
            else if (c == ' ') text.Append('-');
        }
        return text.ToString();
    }

    private static HashSet<string> Anchors(string page)
    {
        var anchors = new HashSet<string>();
        bool inFence = false;
        foreach (string line in File.ReadLines(page))
        {
            if (Fence().IsMatch(line.TrimStart())) { inFence = !inFence; continue; }
            if (!inFence && line.StartsWith('#')) anchors.Add(Anchor(line.TrimStart('#')));
        }
        return anchors;
    }

    [Fact]
    public void EveryRelativeLinkLeadsToAFileAndHeadingThatExist()
    {
        string root = RepositoryRoot();
        var dead = new List<string>();
        int checkedLinks = 0;
        foreach (string page in MarkdownFiles(root))
        {
            foreach (string link in Links(page))
            {
                if (link.StartsWith("http://") || link.StartsWith("https://") || link.StartsWith("mailto:")) continue;
                checkedLinks++;
                string[] parts = link.Split('#', 2);
                string target = parts[0].Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(parts[0])));
                string where = $"{Path.GetRelativePath(root, page)}: {link}";
                if (!File.Exists(target) && !Directory.Exists(target)) dead.Add($"{where} (no such file)");
                else if (parts.Length == 2 && target.EndsWith(".md") && !Anchors(target).Contains(parts[1]))
                    dead.Add($"{where} (no such heading)");
            }
        }
        Assert.True(checkedLinks > 50, $"only {checkedLinks} links found: is the search for Markdown files broken?");
        Assert.Empty(dead);
    }

    [Theory]
    [InlineData("`crnngan train`", "crnngan-train")]
    [InlineData("`--tensorboard DIR`", "--tensorboard-dir")]
    [InlineData("The demo on the synthetic corpus", "the-demo-on-the-synthetic-corpus")]
    public void AnchorsAreGitHubs(string heading, string anchor) => Assert.Equal(anchor, Anchor(heading));
}
