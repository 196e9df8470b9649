package dev.hooks.notify;

/**
 * The markup a sink reads, and how template values are escaped for it so that a commit message
 * such as {@code fix *all* <tags>} shows as written instead of as markup.
 */
public enum TextFormat {
  /** No markup: values go in as they are (Teams TextBlocks, ntfy, logs, JSON webhooks). */
  PLAIN {
    @Override
    public String escape(String text) {
      return text;
    }

    @Override
    public String codeBlock(String text) {
      return text;
    }
  },
  /** Discord markdown: {@code \ * _ ~ ` | > # [ ]} are escaped with a backslash. */
  DISCORD_MARKDOWN {
    @Override
    public String escape(String text) {
      StringBuilder s = new StringBuilder(text.length() + 8);
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if ("\\*_~`|>#[]".indexOf(c) >= 0) {
          s.append('\\');
        }
        s.append(c);
      }
      return s.toString();
    }

    @Override
    public String codeBlock(String text) {
      // Inside a code block Discord shows backslashes literally: only a closing fence must be broken.
      return "```\n" + text.replace("```", "`\u200b``") + "\n```";
    }
  },
  /** Slack mrkdwn: {@code & < >} become entities, as Slack's "Formatting text" page asks. */
  SLACK_MRKDWN {
    @Override
    public String escape(String text) {
      return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public String codeBlock(String text) {
      return "```" + escape(text).replace("```", "`\u200b``") + "```";
    }
  },
  /** Telegram's HTML parse mode: {@code & < > "} become entities. */
  HTML {
    @Override
    public String escape(String text) {
      return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public String codeBlock(String text) {
      return "<pre>" + escape(text) + "</pre>";
    }
  };

  /** {@code text} escaped so the sink shows it literally. */
  public abstract String escape(String text);

  /** {@code text}, such as log lines, as a preformatted block in this markup. */
  public abstract String codeBlock(String text);
}
