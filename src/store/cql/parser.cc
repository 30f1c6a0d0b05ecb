#include "store/cql/parser.h"

#include <set>
#include <utility>

#include "store/cql/lexer.h"

namespace runnel::store::cql3 {
namespace {

// Thrown inside the parser only, caught in parse_statement: the recursive
// descent stays readable without a Status check after every call.
struct SyntaxError {
  std::string message;
};

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  ParsedStatement parse() {
    ParsedStatement parsed{statement(), {}};
    accept(";");
    if (peek().kind != TokenKind::kEnd) fail_at(peek(), "extraneous input");
    parsed.marker_names = std::move(marker_names_);
    return parsed;
  }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& take() {
    const Token& token = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return token;
  }

  static std::string shown(const Token& token) {
    switch (token.kind) {
      case TokenKind::kEnd:
        return "<EOF>";
      case TokenKind::kString:
        return "'" + token.text + "'";
      case TokenKind::kQuotedIdentifier:
        return "\"" + token.text + "\"";
      case TokenKind::kHex:
        return "0x" + token.text;
      default:
        return token.text;
    }
  }

  [[noreturn]] void fail_at(const Token& token, const std::string& what) {
    std::string where = "line " + std::to_string(token.line) + ":" + std::to_string(token.column);
    if (what == "extraneous input") {
      throw SyntaxError{where + " extraneous input '" + shown(token) + "' expecting <EOF>"};
    }
    if (token.kind == TokenKind::kEnd || !what.empty()) {
      throw SyntaxError{where + " mismatched input '" + shown(token) + "' expecting " +
                        (what.empty() ? std::string("more input") : what)};
    }
    throw SyntaxError{where + " no viable alternative at input '" + shown(token) + "'"};
  }
  [[noreturn]] void fail() { fail_at(peek(), ""); }

  bool is_keyword(const Token& token, std::string_view word) const {
    return token.kind == TokenKind::kIdentifier && token.lower == word;
  }
  bool peek_keyword(std::string_view word, std::size_t ahead = 0) const {
    return is_keyword(peek(ahead), word);
  }
  bool accept_keyword(std::string_view word) {
    if (!peek_keyword(word)) return false;
    take();
    return true;
  }
  void expect_keyword(std::string_view word) {
    if (!accept_keyword(word)) fail();
  }
  bool peek_is(std::string_view punctuation, std::size_t ahead = 0) const {
    return peek(ahead).kind == TokenKind::kPunctuation && peek(ahead).text == punctuation;
  }
  bool accept(std::string_view punctuation) {
    if (!peek_is(punctuation)) return false;
    take();
    return true;
  }
  void expect(std::string_view punctuation) {
    if (!accept(punctuation)) fail_at(peek(), "'" + std::string(punctuation) + "'");
  }

  // Cassandra's reserved keywords: never an unquoted name.
  static bool is_reserved(const std::string& word) {
    static const std::set<std::string> kReserved = {
        "add",      "allow",  "alter",   "and",          "apply",  "asc",     "authorize",
        "batch",    "begin",  "by",      "columnfamily", "create", "delete",  "desc",
        "describe", "drop",   "entries", "execute",      "from",   "full",    "grant",
        "if",       "in",     "index",   "infinity",     "insert", "into",    "keyspace",
        "limit",    "modify", "nan",     "norecursive",  "not",    "null",    "of",
        "on",       "or",     "order",   "primary",      "rename", "replace", "revoke",
        "schema",   "select", "set",     "table",        "to",     "token",   "truncate",
        "unlogged", "update", "use",     "using",        "where",  "with"};
    return kReserved.count(word) != 0;
  }

  // An identifier: unquoted ones lower-cased, quoted ones as written.
  std::string identifier() {
    const Token& token = peek();
    if (token.kind == TokenKind::kIdentifier && is_reserved(token.lower)) fail();
    if (token.kind == TokenKind::kIdentifier) return take().lower;
    if (token.kind == TokenKind::kQuotedIdentifier) return take().text;
    fail();
  }

  QualifiedName qualified_name() {
    QualifiedName name;
    name.name = identifier();
    if (accept(".")) {
      name.keyspace = std::move(name.name);
      name.name = identifier();
    }
    return name;
  }

  bool if_not_exists() {
    if (!peek_keyword("if")) return false;
    take();
    expect_keyword("not");
    expect_keyword("exists");
    return true;
  }
  bool if_exists() {
    if (!(peek_keyword("if") && peek_keyword("exists", 1))) return false;
    take();
    take();
    return true;
  }

  Statement statement() {
    const Token& first = peek();
    if (accept_keyword("select")) return select();
    if (accept_keyword("insert")) return insert();
    if (accept_keyword("update")) return update();
    if (accept_keyword("delete")) return delete_statement();
    if (accept_keyword("begin")) return batch();
    if (accept_keyword("use")) return Use{identifier()};
    if (accept_keyword("truncate")) {
      accept_keyword("table");
      return TruncateTable{qualified_name()};
    }
    if (accept_keyword("create")) {
      if (accept_keyword("keyspace") || accept_keyword("schema")) return create_keyspace();
      if (accept_keyword("table") || accept_keyword("columnfamily")) return create_table();
      fail();
    }
    if (accept_keyword("drop")) {
      if (accept_keyword("keyspace") || accept_keyword("schema")) {
        DropKeyspace drop;
        drop.if_exists = if_exists();
        drop.name = identifier();
        return drop;
      }
      if (accept_keyword("table") || accept_keyword("columnfamily")) {
        DropTable drop;
        drop.if_exists = if_exists();
        drop.table = qualified_name();
        return drop;
      }
      fail();
    }
    fail_at(first, "");
  }

  // ---- terms ----

  Term marker(std::string name) {
    Term term;
    term.kind = Term::Kind::kBindMarker;
    term.marker = static_cast<int>(marker_names_.size());
    marker_names_.push_back(std::move(name));
    return term;
  }

  // Nested literals and types deeper than this are refused, so hostile
  // input cannot exhaust the stack.
  static constexpr int kMaxNesting = 32;

  // Counts one level of nesting for as long as it lives.
  struct Nesting {
    explicit Nesting(Parser& parser) : parser_(parser) {
      if (++parser_.depth_ > kMaxNesting) parser_.fail_at(parser_.peek(), "less nesting");
    }
    ~Nesting() { --parser_.depth_; }
    Parser& parser_;
  };

  Term term() {
    Nesting nesting(*this);
    const Token& token = peek();
    Term value;
    switch (token.kind) {
      case TokenKind::kString:
        value.kind = Term::Kind::kString;
        value.text = take().text;
        return value;
      case TokenKind::kInteger:
        value.kind = Term::Kind::kInteger;
        value.text = take().text;
        return value;
      case TokenKind::kFloat:
        value.kind = Term::Kind::kFloat;
        value.text = take().text;
        return value;
      case TokenKind::kUuid:
        value.kind = Term::Kind::kUuid;
        value.text = take().text;
        return value;
      case TokenKind::kHex:
        value.kind = Term::Kind::kHex;
        value.text = take().text;
        return value;
      case TokenKind::kIdentifier:
        if (token.lower == "null") {
          take();
          return value;
        }
        if (token.lower == "true" || token.lower == "false") {
          value.kind = Term::Kind::kBoolean;
          value.text = take().lower;
          return value;
        }
        if (token.lower == "nan" || token.lower == "infinity") {
          value.kind = Term::Kind::kFloat;
          value.text = take().lower;
          return value;
        }
        if (peek_is("(", 1)) return function_call();
        fail();
      case TokenKind::kPunctuation:
        break;
      default:
        fail();
    }
    if (accept("?")) return marker("");
    if (peek_is(":") &&
        (peek(1).kind == TokenKind::kIdentifier || peek(1).kind == TokenKind::kQuotedIdentifier)) {
      take();
      return marker(identifier());
    }
    if (accept("-")) {
      const Token& number = peek();
      if (number.kind == TokenKind::kInteger || number.kind == TokenKind::kFloat) {
        value.kind = number.kind == TokenKind::kInteger ? Term::Kind::kInteger : Term::Kind::kFloat;
        value.text = "-" + take().text;
        return value;
      }
      if (is_keyword(number, "infinity")) {
        take();
        value.kind = Term::Kind::kFloat;
        value.text = "-infinity";
        return value;
      }
      fail();
    }
    if (accept("[")) {
      value.kind = Term::Kind::kList;
      if (!accept("]")) {
        do {
          value.elements.push_back(term());
        } while (accept(","));
        expect("]");
      }
      return value;
    }
    if (accept("{")) {
      value.kind = Term::Kind::kSet;
      if (accept("}")) return value;
      value.elements.push_back(term());
      if (accept(":")) {
        value.kind = Term::Kind::kMap;
        value.elements.push_back(term());
        while (accept(",")) {
          value.elements.push_back(term());
          expect(":");
          value.elements.push_back(term());
        }
      } else {
        while (accept(",")) value.elements.push_back(term());
      }
      expect("}");
      return value;
    }
    if (accept("(")) {  // a tuple literal is not supported; a parenthesized term is
      value = term();
      expect(")");
      return value;
    }
    fail();
  }

  Term function_call() {
    Term value;
    value.kind = Term::Kind::kFunction;
    value.text = take().lower;
    expect("(");
    if (!accept(")")) {
      do {
        value.elements.push_back(term());
      } while (accept(","));
      expect(")");
    }
    return value;
  }

  // ---- WHERE and IF ----

  Operator comparison() {
    const Token& token = peek();
    if (token.kind == TokenKind::kPunctuation) {
      static const std::pair<std::string_view, Operator> kOperators[] = {
          {"=", Operator::kEq}, {"<", Operator::kLt},  {"<=", Operator::kLe},
          {">", Operator::kGt}, {">=", Operator::kGe}, {"!=", Operator::kNeq}};
      for (const auto& [text, op] : kOperators) {
        if (token.text == text) {
          take();
          return op;
        }
      }
    }
    if (accept_keyword("in")) return Operator::kIn;
    if (accept_keyword("contains")) {
      return accept_keyword("key") ? Operator::kContainsKey : Operator::kContains;
    }
    fail();
  }

  void in_values(Operator op, Term& value, std::vector<Term>& values, bool& in_list) {
    if (op == Operator::kIn && peek_is("(")) {
      take();
      in_list = true;
      if (!accept(")")) {
        do {
          values.push_back(term());
        } while (accept(","));
        expect(")");
      }
      return;
    }
    value = term();
  }

  std::vector<Relation> where_clause() {
    std::vector<Relation> relations;
    do {
      Relation relation;
      if (peek_is("(")) {
        // (c1, c2) > (1, 2): compares clustering columns as one tuple.
        take();
        relation.multi_column = true;
        do {
          relation.columns.push_back(identifier());
        } while (accept(","));
        expect(")");
        relation.op = comparison();
        expect("(");
        do {
          relation.in_values.push_back(term());
        } while (accept(","));
        expect(")");
        relations.push_back(std::move(relation));
        continue;
      }
      if (peek_keyword("token") && peek_is("(", 1)) {
        take();
        take();
        relation.on_token = true;
        do {
          relation.columns.push_back(identifier());
        } while (accept(","));
        expect(")");
      } else {
        relation.columns.push_back(identifier());
      }
      relation.op = comparison();
      in_values(relation.op, relation.value, relation.in_values, relation.in_list);
      relations.push_back(std::move(relation));
    } while (accept_keyword("and"));
    return relations;
  }

  // IF EXISTS or IF conditions, after UPDATE/DELETE's WHERE.
  void if_clause(bool& exists, std::vector<Condition>& conditions) {
    if (!accept_keyword("if")) return;
    if (accept_keyword("exists")) {
      exists = true;
      return;
    }
    do {
      Condition condition;
      condition.column = identifier();
      if (accept("[")) {
        condition.element = term();
        expect("]");
      }
      condition.op = comparison();
      in_values(condition.op, condition.value, condition.in_values, condition.in_list);
      conditions.push_back(std::move(condition));
    } while (accept_keyword("and"));
  }

  // LIMIT, TTL and TIMESTAMP take an integer or a bind marker.
  Term integer_or_marker() {
    const Token& token = peek();
    bool number =
        token.kind == TokenKind::kInteger || (peek_is("-") && peek(1).kind == TokenKind::kInteger);
    bool marker = peek_is("?") || peek_is(":");
    if (!number && !marker) fail();
    return term();
  }

  void using_clause(Using& using_) {
    if (!accept_keyword("using")) return;
    do {
      if (accept_keyword("ttl")) {
        using_.ttl = integer_or_marker();
      } else if (accept_keyword("timestamp")) {
        using_.timestamp = integer_or_marker();
      } else {
        fail();
      }
    } while (accept_keyword("and"));
  }

  // ---- statements ----

  Select select() {
    Select select;
    if (accept_keyword("json")) select.json = true;
    if (peek_keyword("distinct") && !peek_is(",", 1) && !peek_keyword("from", 1)) {
      take();
      select.distinct = true;
    }
    if (accept("*")) {
      select.star = true;
    } else {
      do {
        select.selectors.push_back(selector());
      } while (accept(","));
    }
    expect_keyword("from");
    select.table = qualified_name();
    if (accept_keyword("where")) select.where = where_clause();
    if (accept_keyword("order")) {
      expect_keyword("by");
      do {
        std::string column = identifier();
        bool descending = false;
        if (accept_keyword("desc")) {
          descending = true;
        } else {
          accept_keyword("asc");
        }
        select.order_by.emplace_back(std::move(column), descending);
      } while (accept(","));
    }
    if (accept_keyword("per")) {
      expect_keyword("partition");
      expect_keyword("limit");
      select.per_partition_limit = integer_or_marker();
    }
    if (accept_keyword("limit")) select.limit = integer_or_marker();
    if (accept_keyword("allow")) {
      expect_keyword("filtering");
      select.allow_filtering = true;
    }
    return select;
  }

  Selector selector() {
    Selector selector;
    const Token& token = peek();
    bool is_call = peek_is("(", 1) && token.kind == TokenKind::kIdentifier;
    if (is_call && (token.lower == "count")) {
      take();
      take();
      if (!accept("*")) {
        const Token& argument = peek();
        if (argument.kind == TokenKind::kInteger) {
          take();
        } else {
          selector.columns.push_back(identifier());
        }
      }
      expect(")");
      selector.kind = Selector::Kind::kCount;
    } else if (is_call && (token.lower == "writetime" || token.lower == "ttl")) {
      selector.kind = token.lower == "ttl" ? Selector::Kind::kTtl : Selector::Kind::kWritetime;
      take();
      take();
      selector.columns.push_back(identifier());
      expect(")");
    } else if (is_call && token.lower == "token") {
      take();
      take();
      selector.kind = Selector::Kind::kToken;
      do {
        selector.columns.push_back(identifier());
      } while (accept(","));
      expect(")");
    } else if (is_call) {
      fail_at(token, "");
    } else {
      selector.columns.push_back(identifier());
    }
    if (accept_keyword("as")) selector.alias = identifier();
    return selector;
  }

  Insert insert() {
    Insert insert;
    expect_keyword("into");
    insert.table = qualified_name();
    expect("(");
    do {
      insert.columns.push_back(identifier());
    } while (accept(","));
    expect(")");
    expect_keyword("values");
    expect("(");
    do {
      insert.values.push_back(term());
    } while (accept(","));
    expect(")");
    insert.if_not_exists = if_not_exists();
    using_clause(insert.using_);
    if (!insert.if_not_exists) insert.if_not_exists = if_not_exists();
    return insert;
  }

  Update update() {
    Update update;
    update.table = qualified_name();
    using_clause(update.using_);
    expect_keyword("set");
    do {
      update.assignments.push_back(assignment());
    } while (accept(","));
    expect_keyword("where");
    update.where = where_clause();
    if_clause(update.if_exists, update.conditions);
    return update;
  }

  Assignment assignment() {
    Assignment assignment;
    assignment.column = identifier();
    if (accept("[")) {
      assignment.element = term();
      expect("]");
      expect("=");
      assignment.kind = Assignment::Kind::kSetElement;
      assignment.value = term();
      return assignment;
    }
    if (accept("+")) {
      expect("=");
      assignment.kind = Assignment::Kind::kAdd;
      assignment.value = term();
      return assignment;
    }
    if (accept("-")) {
      expect("=");
      assignment.kind = Assignment::Kind::kRemove;
      assignment.value = term();
      return assignment;
    }
    expect("=");
    // `c = c + t` / `c = c - t`, or `c = t + c`, or a plain `c = t`.
    const Token& next = peek();
    bool names_column =
        (next.kind == TokenKind::kIdentifier && next.lower == assignment.column) ||
        (next.kind == TokenKind::kQuotedIdentifier && next.text == assignment.column);
    if (names_column && (peek_is("+", 1) || peek_is("-", 1))) {
      take();
      assignment.kind = take().text == "+" ? Assignment::Kind::kAdd : Assignment::Kind::kRemove;
      assignment.value = term();
      return assignment;
    }
    assignment.value = term();
    if (accept("+")) {
      std::string column = identifier();
      if (column != assignment.column) fail();
      assignment.kind = Assignment::Kind::kPrepend;
    }
    return assignment;
  }

  Delete delete_statement() {
    Delete deletion;
    if (!peek_keyword("from")) {
      do {
        DeleteTarget target;
        target.column = identifier();
        if (accept("[")) {
          target.element = term();
          expect("]");
        }
        deletion.columns.push_back(std::move(target));
      } while (accept(","));
    }
    expect_keyword("from");
    deletion.table = qualified_name();
    using_clause(deletion.using_);
    expect_keyword("where");
    deletion.where = where_clause();
    if_clause(deletion.if_exists, deletion.conditions);
    return deletion;
  }

  Batch batch() {
    Batch batch;
    if (accept_keyword("unlogged")) {
      batch.type = runnel::cql::BatchType::kUnlogged;
    } else if (accept_keyword("counter")) {
      batch.type = runnel::cql::BatchType::kCounter;
    } else {
      accept_keyword("logged");
    }
    expect_keyword("batch");
    using_clause(batch.using_);
    while (!peek_keyword("apply")) {
      if (accept_keyword("insert")) {
        batch.statements.emplace_back(insert());
      } else if (accept_keyword("update")) {
        batch.statements.emplace_back(update());
      } else if (accept_keyword("delete")) {
        batch.statements.emplace_back(delete_statement());
      } else {
        fail();
      }
      accept(";");
    }
    take();
    expect_keyword("batch");
    return batch;
  }

  Property property() {
    Property property;
    property.name = identifier();
    expect("=");
    const Token& token = peek();
    if (token.kind == TokenKind::kIdentifier && token.lower != "true" && token.lower != "false" &&
        !peek_is("(", 1)) {
      property.value.kind = Term::Kind::kString;
      property.value.text = take().text;
    } else {
      property.value = term();
    }
    return property;
  }

  std::vector<Property> properties() {
    std::vector<Property> properties;
    do {
      properties.push_back(property());
    } while (accept_keyword("and"));
    return properties;
  }

  CreateKeyspace create_keyspace() {
    CreateKeyspace create;
    create.if_not_exists = if_not_exists();
    create.name = identifier();
    expect_keyword("with");
    create.properties = properties();
    return create;
  }

  // A type as written: "int", "map<text, frozen<list<int>>>".
  std::string type_name() {
    Nesting nesting(*this);
    // "set" is a reserved word but also a type.
    std::string name = peek().kind == TokenKind::kIdentifier ? take().lower : identifier();
    if (!accept("<")) return name;
    name += "<";
    do {
      if (name.back() != '<') name += ", ";
      name += type_name();
    } while (accept(","));
    expect(">");
    return name + ">";
  }

  std::vector<std::string> name_list() {
    std::vector<std::string> names;
    expect("(");
    do {
      names.push_back(identifier());
    } while (accept(","));
    expect(")");
    return names;
  }

  CreateTable create_table() {
    CreateTable create;
    create.if_not_exists = if_not_exists();
    create.table = qualified_name();
    expect("(");
    do {
      if (!create.columns.empty() && peek_is(")")) break;  // a trailing comma
      if (accept_keyword("primary")) {
        expect_keyword("key");
        if (!create.partition_key.empty()) create.multiple_primary_keys = true;
        expect("(");
        if (peek_is("(")) {
          create.partition_key = name_list();
        } else {
          create.partition_key.push_back(identifier());
        }
        while (accept(",")) create.clustering.push_back(identifier());
        expect(")");
        continue;
      }
      ColumnDefinition column;
      column.name = identifier();
      column.type = type_name();
      if (accept_keyword("static")) column.is_static = true;
      if (accept_keyword("primary")) {
        expect_keyword("key");
        if (!create.partition_key.empty()) create.multiple_primary_keys = true;
        create.partition_key.push_back(column.name);
      }
      create.columns.push_back(std::move(column));
    } while (accept(","));
    expect(")");
    if (accept_keyword("with")) {
      do {
        if (accept_keyword("clustering")) {
          expect_keyword("order");
          expect_keyword("by");
          expect("(");
          do {
            std::string column = identifier();
            bool descending = accept_keyword("desc");
            if (!descending) accept_keyword("asc");
            create.clustering_order.emplace_back(std::move(column), descending);
          } while (accept(","));
          expect(")");
        } else if (accept_keyword("compact")) {
          expect_keyword("storage");
          create.compact_storage = true;
        } else {
          create.properties.push_back(property());
        }
      } while (accept_keyword("and"));
    }
    return create;
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::vector<std::string> marker_names_;
  int depth_ = 0;
};

}  // namespace

Result<ParsedStatement> parse_statement(std::string_view text) {
  auto tokens = tokenize(text);
  if (!tokens) return tokens.status();
  try {
    return Parser(std::move(*tokens)).parse();
  } catch (const SyntaxError& error) {
    return invalid_argument(error.message);
  }
}

}  // namespace runnel::store::cql3
