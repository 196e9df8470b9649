package dev.hooks.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.WebhookEvent;
import dev.hooks.notify.internal.Facts;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A condition in a small expression language, for alert rules people type:
 * {@code pr.status == 'approved' and pr.reviews >= 2}.
 *
 * <p>Grammar: {@code or}, {@code and}, {@code not} (also {@code ||}, {@code &&}, {@code !}) and
 * parentheses over comparisons {@code == != > >= < <=} and {@code contains}; operands are
 * names, {@code 'strings'} or {@code "strings"}, numbers, {@code true}, {@code false} and
 * {@code null}; a name alone is true when it has a value other than false, 0 or empty. Two
 * operands that both read as numbers compare as numbers, otherwise as strings.
 *
 * <p>A name such as {@code pr.reviews} is looked up, first found wins: the event attribute of that
 * exact name; a normalized field ({@code provider}, {@code type}, {@code action},
 * {@code repository}, {@code branch}, {@code tag}, {@code actor}, {@code subject}, {@code status},
 * {@code severity}...); a template fact ({@code commit_count}, {@code pr_number}...); the payload
 * path with dots as separators; and the same path with a leading {@code pr} read as
 * {@code pull_request}. A name found nowhere is null.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * Rule ready = Rule.parse("pr.status == 'approved' and pr.reviews >= 2");
 * boolean notify = ready.test(event);
 * }</pre>
 */
public final class Rule implements Predicate<WebhookEvent> {
  private final String source;
  private final Node root;

  private Rule(String source, Node root) {
    this.source = source;
    this.root = root;
  }

  /**
   * @throws IllegalArgumentException naming the position and what was expected, if the
   *     expression does not parse
   */
  public static Rule parse(String expression) {
    Objects.requireNonNull(expression, "expression");
    Parser p = new Parser(expression);
    Node n = p.or();
    p.skipSpace();
    if (p.pos < expression.length()) {
      throw p.error("unexpected '" + expression.substring(p.pos) + "'");
    }
    return new Rule(expression, n);
  }

  @Override
  public boolean test(WebhookEvent event) {
    return truthy(root.eval(new Scope(event)));
  }

  @Override
  public String toString() {
    return source;
  }

  private interface Node {
    @Nullable Object eval(Scope scope);
  }

  /** Resolves names against one event, computing the facts once. */
  private static final class Scope {
    private final WebhookEvent event;
    private @Nullable Map<String, Object> facts;

    Scope(WebhookEvent event) {
      this.event = event;
    }

    @Nullable Object resolve(String name) {
      var attr = event.attribute(name);
      if (attr.isPresent()) {
        return attr.get();
      }
      String normalized = switch (name) {
        case "id" -> event.id();
        case "provider" -> event.provider();
        case "type" -> event.type();
        case "action" -> event.action().orElse(null);
        case "source_event" -> event.sourceEvent().orElse(null);
        case "repository" -> event.repository().orElse(null);
        case "branch" -> event.branch().orElse(null);
        case "tag" -> event.tag().orElse(null);
        case "commit" -> event.commit().orElse(null);
        case "actor" -> event.actor().orElse(null);
        case "url" -> event.url().orElse(null);
        case "subject" -> event.subject().orElse(null);
        case "status" -> event.status().orElse(null);
        case "severity" -> event.severity().name().toLowerCase(Locale.ROOT);
        default -> null;
      };
      if (normalized != null) {
        return normalized;
      }
      if (facts == null) {
        facts = Facts.of(event);
      }
      Object fact = facts.get(name);
      if (fact != null) {
        return fact;
      }
      Object fromPayload = payload(name);
      if (fromPayload == null && name.startsWith("pr.")) {
        fromPayload = payload("pull_request." + name.substring(3));
      }
      return fromPayload;
    }

    private @Nullable Object payload(String dotted) {
      JsonNode n = event.payload();
      for (String segment : dotted.split("\\.")) {
        if (n.isArray() && segment.chars().allMatch(Character::isDigit)) {
          n = n.path(Integer.parseInt(segment));
        } else {
          n = n.path(segment);
        }
        if (n.isMissingNode()) {
          return null;
        }
      }
      if (n.isNull()) {
        return null;
      }
      if (n.isBoolean()) {
        return n.booleanValue();
      }
      if (n.isNumber()) {
        return n.decimalValue();
      }
      if (n.isArray()) {
        return n.size();
      }
      return n.isValueNode() ? n.asText() : n.toString();
    }
  }

  static boolean truthy(@Nullable Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    BigDecimal d = number(v);
    if (d != null) {
      return d.signum() != 0;
    }
    String s = v.toString();
    return !s.isEmpty() && !s.equalsIgnoreCase("false");
  }

  private static @Nullable BigDecimal number(@Nullable Object v) {
    if (v instanceof BigDecimal d) {
      return d;
    }
    if (v instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    if (v instanceof String s && !s.isBlank()) {
      try {
        return new BigDecimal(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static boolean compare(String op, @Nullable Object a, @Nullable Object b) {
    if (op.equals("contains")) {
      return a != null && b != null && a.toString().contains(b.toString());
    }
    if (a == null || b == null) {
      boolean same = a == b;
      return switch (op) {
        case "==" -> same;
        case "!=" -> !same;
        default -> false;
      };
    }
    BigDecimal x = number(a);
    BigDecimal y = number(b);
    int c;
    if (x != null && y != null) {
      c = x.compareTo(y);
    } else if (a instanceof Boolean || b instanceof Boolean) {
      c = a.toString().equalsIgnoreCase(b.toString()) ? 0 : 1;
      if (!op.equals("==") && !op.equals("!=")) {
        return false;
      }
    } else {
      c = a.toString().compareTo(b.toString());
    }
    return switch (op) {
      case "==" -> c == 0;
      case "!=" -> c != 0;
      case ">" -> c > 0;
      case ">=" -> c >= 0;
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      default -> throw new IllegalStateException(op);
    };
  }

  /** Recursive descent over the grammar in the class comment. */
  private static final class Parser {
    private final String s;
    int pos;

    Parser(String s) {
      this.s = s;
    }

    Node or() {
      Node left = and();
      while (keyword("or") || symbol("||")) {
        Node l = left;
        Node r = and();
        left = scope -> truthy(l.eval(scope)) || truthy(r.eval(scope));
      }
      return left;
    }

    Node and() {
      Node left = not();
      while (keyword("and") || symbol("&&")) {
        Node l = left;
        Node r = not();
        left = scope -> truthy(l.eval(scope)) && truthy(r.eval(scope));
      }
      return left;
    }

    Node not() {
      if (keyword("not") || (peekNotEquals() && symbol("!"))) {
        Node n = not();
        return scope -> !truthy(n.eval(scope));
      }
      return comparison();
    }

    private boolean peekNotEquals() {
      skipSpace();
      return pos < s.length() && s.charAt(pos) == '!' && !(pos + 1 < s.length() && s.charAt(pos + 1) == '=');
    }

    Node comparison() {
      Node left = operand();
      for (String op : new String[] {"==", "!=", ">=", "<=", ">", "<"}) {
        if (symbol(op)) {
          Node right = operand();
          return scope -> compare(op, left.eval(scope), right.eval(scope));
        }
      }
      if (keyword("contains")) {
        Node right = operand();
        return scope -> compare("contains", left.eval(scope), right.eval(scope));
      }
      return left;
    }

    Node operand() {
      skipSpace();
      if (pos >= s.length()) {
        throw error("expected a name, a value or '('");
      }
      char c = s.charAt(pos);
      if (c == '(') {
        pos++;
        Node inner = or();
        if (!symbol(")")) {
          throw error("expected ')'");
        }
        return inner;
      }
      if (c == '\'' || c == '"') {
        int end = s.indexOf(c, pos + 1);
        if (end < 0) {
          throw error("unclosed string");
        }
        String value = s.substring(pos + 1, end);
        pos = end + 1;
        return scope -> value;
      }
      if (Character.isDigit(c) || (c == '-' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1)))) {
        int start = pos++;
        while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
          pos++;
        }
        BigDecimal value = new BigDecimal(s.substring(start, pos));
        return scope -> value;
      }
      if (Character.isLetter(c) || c == '_') {
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || "_.-".indexOf(s.charAt(pos)) >= 0)) {
          pos++;
        }
        String name = s.substring(start, pos);
        switch (name) {
          case "true":
            return scope -> Boolean.TRUE;
          case "false":
            return scope -> Boolean.FALSE;
          case "null":
            return scope -> null;
          case "and", "or", "not", "contains":
            pos = start;
            throw error("expected a name or a value before '" + name + "'");
          default:
            return scope -> scope.resolve(name);
        }
      }
      throw error("unexpected '" + c + "'");
    }

    boolean keyword(String word) {
      skipSpace();
      int end = pos + word.length();
      if (s.regionMatches(true, pos, word, 0, word.length())
          && (end == s.length() || !(Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_'))) {
        pos = end;
        return true;
      }
      return false;
    }

    boolean symbol(String sym) {
      skipSpace();
      if (s.startsWith(sym, pos)) {
        pos += sym.length();
        return true;
      }
      return false;
    }

    void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("rule '" + s + "' at " + pos + ": " + what);
    }
  }
}
