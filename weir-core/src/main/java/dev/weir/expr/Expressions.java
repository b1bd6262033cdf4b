package dev.weir.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.util.Suggest;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.ParserException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.error.RootAttributeNotFoundException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.loader.StringLoader;
import io.pebbletemplates.pebble.operator.Associativity;
import io.pebbletemplates.pebble.operator.BinaryOperator;
import io.pebbletemplates.pebble.operator.BinaryOperatorImpl;
import io.pebbletemplates.pebble.operator.BinaryOperatorType;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Pebble templates, strict: an unknown name is an error, never an empty string. Names: {@code
 * inputs}, {@code vars}, {@code run}, {@code flow}, {@code trigger}, {@code outputs}, {@code
 * secret('NAME')}, {@code now()}, plus whatever a caller adds (e.g. {@code failedTask} in onFailure
 * tasks).
 */
public final class Expressions {
  public static final List<String> ROOT_NAMES =
      List.of("inputs", "vars", "run", "flow", "trigger", "outputs", "secret()", "now()");
  private static final String SERVICES = "__weir";
  private static final String BUDGET = "__weir_budget";

  private final PebbleEngine engine =
      new PebbleEngine.Builder()
          .loader(new StringLoader())
          .strictVariables(true)
          .autoEscaping(false)
          .newLineTrimming(false)
          .allowOverrideCoreOperators(true) // a bounded ~
          .extension(new WeirExtension())
          .cacheActive(true)
          .build();
  private final RenderLimits limits;
  private final LongSupplier ticker;

  /** With the default limits (1 MiB, 5s per rendered value). */
  public Expressions() {
    this(RenderLimits.DEFAULT);
  }

  public Expressions(RenderLimits limits) {
    this(limits, System::nanoTime);
  }

  /**
   * @param ticker nanoseconds, as {@link System#nanoTime()}; tests pass one they move
   */
  Expressions(RenderLimits limits, LongSupplier ticker) {
    this.limits = limits;
    this.ticker = ticker;
  }

  /** What {@code secret()} and {@code now()} read; {@code secrets} null means "validating". */
  public record Services(Secrets secrets, InstantSource clock) {}

  public static boolean isTemplate(String s) {
    return s != null && (s.contains("{{") || s.contains("{%"));
  }

  /** Renders a template with the given root variables. */
  public String render(String template, Map<String, Object> variables, Services services) {
    if (!isTemplate(template)) {
      return template;
    }
    PebbleTemplate t = compile(template);
    var ctx = new HashMap<String, Object>(variables);
    ctx.put(SERVICES, services);
    var out = new RenderBudget(limits, ticker);
    ctx.put(BUDGET, out);
    try {
      t.evaluate(out, ctx);
    } catch (IOException e) {
      throw new IllegalStateException("a RenderBudget does not throw IOException", e);
    } catch (RuntimeException e) {
      throw translate(template, e, variables.keySet());
    }
    return out.toString();
  }

  private static final java.util.regex.Pattern SINGLE_EXPRESSION =
      java.util.regex.Pattern.compile(
          "\\{\\{((?:(?!\\}\\}|\\{\\{).)*)\\}\\}", java.util.regex.Pattern.DOTALL);

  /**
   * The value of a template that is one expression ({@code "{{ outputs.list.files }}"}) as an
   * object: a list stays a list, a map a map. Any other template renders to its text.
   */
  public Object evaluate(String template, Map<String, Object> variables, Services services) {
    String t = template == null ? null : template.strip();
    if (t == null || !SINGLE_EXPRESSION.matcher(t).matches()) {
      return render(template, variables, services);
    }
    String expression = t.substring(2, t.length() - 2);
    var vars = new HashMap<String, Object>(variables);
    Object[] holder = new Object[1];
    vars.put(Capture.HOLDER, holder);
    try {
      render("{{ (" + expression + ") | " + Capture.NAME + " }}", vars, services);
    } catch (ExpressionException e) {
      // name the template the user wrote, not the wrapped one
      throw new ExpressionException(
          e.kind(),
          e.problem().replace("(" + expression + ") | " + Capture.NAME, expression),
          e.hint(),
          null);
    }
    return holder[0];
  }

  /** Renders every string in a YAML tree; returns a new tree. */
  public JsonNode renderTree(JsonNode node, Map<String, Object> variables, Services services) {
    return renderTree(node, variables, services, "");
  }

  /**
   * Renders every string in a YAML tree; returns a new tree. A value that passes a limit fails
   * naming its place, {@code path} plus its own keys ({@code tasks[2].message: …}).
   */
  public JsonNode renderTree(
      JsonNode node, Map<String, Object> variables, Services services, String path) {
    if (node.isTextual()) {
      try {
        return JsonNodeFactory.instance.textNode(render(node.textValue(), variables, services));
      } catch (ExpressionException e) {
        if (e.kind() != ExpressionException.Kind.LIMIT || path.isEmpty()) {
          throw e;
        }
        throw new ExpressionException(e.kind(), path + ": " + e.problem(), e.hint(), null);
      }
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var e = it.next();
        String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        out.set(e.getKey(), renderTree(e.getValue(), variables, services, p));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < node.size(); i++) {
        out.add(renderTree(node.get(i), variables, services, path + "[" + i + "]"));
      }
      return out;
    }
    return node;
  }

  private PebbleTemplate compile(String template) {
    try {
      return engine.getTemplate(template);
    } catch (RuntimeException e) {
      throw translate(template, e, List.of());
    }
  }

  private static ExpressionException translate(
      String template, RuntimeException e, java.util.Collection<String> roots) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ExpressionException ee && ee.kind() == ExpressionException.Kind.LIMIT) {
        return ee; // about the size or time, not the text: the template may be long
      }
      if (t instanceof ExpressionException ee) {
        return new ExpressionException(
            ee.kind(), ee.problem() + " in '" + template.strip() + "'", ee.hint(), null);
      }
    }
    String quoted = "'" + template.strip() + "'";
    if (e instanceof RootAttributeNotFoundException r) {
      var known = roots.stream().filter(k -> !k.equals(SERVICES)).sorted().toList();
      return new ExpressionException(
          ExpressionException.Kind.UNKNOWN_NAME,
          "unknown name '"
              + r.getAttributeName()
              + "' in "
              + quoted
              + Suggest.didYouMean(r.getAttributeName(), known)
              + " (known: "
              + String.join(", ", known)
              + ", secret(), now())",
          null);
    }
    String msg = pebbleMessage(e);
    if (e instanceof ParserException) {
      return new ExpressionException(
          ExpressionException.Kind.SYNTAX,
          "invalid expression " + quoted + ": " + msg + "; expressions look like {{ inputs.day }}",
          null);
    }
    if (e instanceof PebbleException && msg.contains("does not exist")) {
      return new ExpressionException(
          ExpressionException.Kind.UNKNOWN_NAME,
          msg + " in " + quoted + "; functions are secret('NAME') and now(), filters are Pebble's",
          null);
    }
    return new ExpressionException(
        ExpressionException.Kind.EVALUATION, "cannot evaluate " + quoted + ": " + msg, e);
  }

  private static String pebbleMessage(RuntimeException e) {
    String m = e instanceof PebbleException pe ? pe.getPebbleMessage() : e.getMessage();
    if (m == null) {
      m = e.getClass().getSimpleName();
    }
    return m.replaceAll("\\s*\\(\\?:?\\d*\\)$", "").strip();
  }

  private static final class WeirExtension extends AbstractExtension {
    @Override
    public Map<String, Function> getFunctions() {
      return Map.of(
          "secret",
          new SecretFunction(),
          "now",
          new NowFunction(),
          "range",
          new LazyRange(c -> (RenderBudget) c.getVariable(BUDGET)));
    }

    @Override
    public List<BinaryOperator> getBinaryOperators() {
      // precedence and associativity as Pebble's own ~
      return List.of(
          new BinaryOperatorImpl(
              "~",
              110,
              () -> new BoundedConcat(c -> (RenderBudget) c.getVariable(BUDGET)),
              BinaryOperatorType.NORMAL,
              Associativity.LEFT));
    }

    @Override
    public Map<String, Filter> getFilters() {
      return Map.of(ShellQuote.NAME, new ShellQuote(), Capture.NAME, new Capture());
    }
  }

  private static Services services(EvaluationContext context) {
    Object s = context.getVariable(SERVICES);
    return s instanceof Services sv ? sv : new Services(null, InstantSource.system());
  }

  private static final class SecretFunction implements Function {
    @Override
    public List<String> getArgumentNames() {
      return List.of("name");
    }

    @Override
    public Object execute(
        Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int line) {
      Object name = args.get("name");
      if (!(name instanceof String n) || n.isBlank()) {
        throw new ExpressionException(
            ExpressionException.Kind.EVALUATION,
            "secret() needs a name, like secret('DB_PASSWORD')",
            null);
      }
      Secrets secrets = services(context).secrets();
      return secrets == null ? "<secret:" + n + ">" : secrets.get(n);
    }
  }

  private static final class NowFunction implements Function {
    @Override
    public List<String> getArgumentNames() {
      return List.of();
    }

    @Override
    public Object execute(
        Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int line) {
      return ZonedDateTime.ofInstant(services(context).clock().instant(), ZoneOffset.UTC);
    }
  }
}
