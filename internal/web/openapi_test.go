package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The API reference, docs/openapi.yaml, is checked two ways: every /api
// route of routes.go is in it and it holds no other
// (TestOpenAPICoversEveryRoute), and every answer to an /api path that a
// test of this package receives through its client matches it
// (checkOpenAPI, called by client.send).

const (
	openAPIPath = "../../docs/openapi.yaml"
	routesFile  = "routes.go"
)

// apiDoc is the document, loaded once per test binary.
var apiDoc struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

func loadAPIDoc(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	apiDoc.once.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromFile(openAPIPath)
		if err != nil {
			apiDoc.err = fmt.Errorf("load %s: %w", openAPIPath, err)
			return
		}
		if err := doc.Validate(loader.Context); err != nil {
			apiDoc.err = fmt.Errorf("%s is not a valid OpenAPI document: %w", openAPIPath, err)
			return
		}
		apiDoc.doc = doc
		apiDoc.router, apiDoc.err = legacy.NewRouter(doc)
	})
	if apiDoc.err != nil {
		t.Fatal(apiDoc.err)
	}
	return apiDoc.doc, apiDoc.router
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc, _ := loadAPIDoc(t)
	if !doc.IsOpenAPI31OrLater() {
		t.Errorf("%s declares OpenAPI %s, want 3.1", openAPIPath, doc.OpenAPI)
	}
}

// catchAllRoutes are the /api patterns without a method: they answer the
// paths and methods no operation has, in the error envelope the document
// describes once for all (components NotFound and MethodNotAllowed).
var catchAllRoutes = []string{"/api/", "/api/client-progress/", "/api/client-progress/{token}/feedback"}

// TestOpenAPICoversEveryRoute reads the route table and fails for any /api
// route missing from the document, and for any operation of the document
// that no route serves.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	doc, _ := loadAPIDoc(t)
	routes, err := apiRoutes(routesFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(routes) == 0 {
		t.Fatalf("found no /api route in %s: has the route table moved? Teach apiRoutes where it is", routesFile)
	}
	t.Logf("%d /api routes in %s", len(routes), routesFile)
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	for _, r := range routes {
		if !documented[r] {
			t.Errorf("route %q is not in %s", r, openAPIPath)
		}
	}
	for op := range documented {
		if !slices.Contains(routes, op) {
			t.Errorf("%s documents %q, which no route in %s serves", openAPIPath, op, routesFile)
		}
	}
}

// TestAPIRoutesReadsATable checks that apiRoutes still finds the routes
// once they are registered from a table or in a loop.
func TestAPIRoutesReadsATable(t *testing.T) {
	const src = `package web
func (s *Server) routes(mux *http.ServeMux) {
	for _, r := range []struct{ pattern string; h http.HandlerFunc }{
		{"GET /api/projects", s.apiProjects},
		{"PATCH " + "/api/projects/{id}", s.apiUpdateProject},
		{"GET /admin", s.adminHome},
	} {
		mux.HandleFunc(r.pattern, r.h)
	}
	mux.HandleFunc("DELETE /api/client-access/{id}", nil)
	mux.HandleFunc("/api/", s.apiNotFound)
}`
	got, err := apiRoutes("table.go", src)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"DELETE /api/client-access/{id}", "GET /api/projects", "PATCH /api/projects/{id}"}
	if !slices.Equal(got, want) {
		t.Errorf("apiRoutes = %q, want %q", got, want)
	}
	// ServeMux wildcards become OpenAPI parameters.
	for in, want := range map[string]string{"/x/{rest...}": "/x/{rest}", "/x/{$}": "/x/", "/x/{id}": "/x/{id}"} {
		if got := openAPIPathOf(in); got != want {
			t.Errorf("openAPIPathOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// apiRoutes lists the "METHOD /api/..." routes of a Go file, as OpenAPI
// paths ("GET /api/projects/{id}"). It reads the string literals, and
// concatenations of literals, that are the first argument of a Handle or
// HandleFunc call; and, so that a table or a loop of routes is still read,
// every other string literal of the file shaped like a route with a method.
// A pattern without a method under /api must be one of catchAllRoutes.
func apiRoutes(file string, src any) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, 0)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var routes []string
	var bad []string
	add := func(pattern string, pos token.Pos, registered bool) {
		method, path, ok := strings.Cut(pattern, " ")
		if !ok {
			method, path = "", pattern
		}
		path = strings.TrimSpace(path)
		if i := strings.Index(path, "/"); i > 0 { // a host in the pattern
			path = path[i:]
		}
		if !strings.HasPrefix(path, "/api/") {
			return
		}
		if method == "" {
			if registered && !slices.Contains(catchAllRoutes, path) {
				bad = append(bad, fmt.Sprintf("%s: %q serves every method; give it one, or list it in catchAllRoutes", fset.Position(pos), pattern))
			}
			return
		}
		if !isMethod(method) {
			return
		}
		r := method + " " + openAPIPathOf(path)
		if !seen[r] {
			seen[r] = true
			routes = append(routes, r)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if ok && (sel.Sel.Name == "Handle" || sel.Sel.Name == "HandleFunc") && len(n.Args) > 0 {
				if s, ok := stringValue(n.Args[0]); ok {
					add(s, n.Pos(), true)
				}
			}
		case *ast.BasicLit, *ast.BinaryExpr:
			if s, ok := stringValue(n.(ast.Expr)); ok {
				if strings.Contains(s, " /api/") {
					add(s, n.Pos(), false)
				}
				return false
			}
		}
		return true
	})
	if len(bad) > 0 {
		return nil, errors.New(strings.Join(bad, "\n"))
	}
	slices.Sort(routes)
	return routes, nil
}

// stringValue is the value of a string literal or of a concatenation of
// string literals.
func stringValue(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, ok1 := stringValue(e.X)
		y, ok2 := stringValue(e.Y)
		return x + y, ok1 && ok2
	case *ast.ParenExpr:
		return stringValue(e.X)
	}
	return "", false
}

func isMethod(m string) bool {
	switch m {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
		return true
	}
	return false
}

// openAPIPathOf turns a ServeMux path into an OpenAPI one: "{name...}"
// becomes "{name}", "{$}" goes.
func openAPIPathOf(p string) string {
	p = strings.ReplaceAll(p, "{$}", "")
	return strings.ReplaceAll(p, "...}", "}")
}

// fallbackResponses are the answers the document describes once for every
// /api path, whatever the method (see its info.description), by status.
var fallbackResponses = map[int]string{
	http.StatusTemporaryRedirect: "Redirect",
	http.StatusForbidden:         "CrossSite",
	http.StatusNotFound:          "NotFound",
	http.StatusMethodNotAllowed:  "MethodNotAllowed",
}

// checkOpenAPI validates an answer to an /api path against the document:
// an operation for the request (or, for a path or method without one, a
// status the document describes for all paths), the status declared, the
// content type declared, the body and the declared headers matching their
// schemas. Only the response is checked: tests send bad requests on purpose.
func checkOpenAPI(t testing.TB, res *http.Response, body []byte) {
	t.Helper()
	req := res.Request
	if req == nil || !strings.HasPrefix(req.URL.Path, "/api/") {
		return
	}
	if err := validateAgainstDoc(t, req, res.StatusCode, res.Header, body); err != nil {
		t.Errorf("openapi: %s %s: %d: %v", req.Method, redactToken(req.URL.Path), res.StatusCode, shortError(err))
	}
}

func validateAgainstDoc(t testing.TB, req *http.Request, status int, header http.Header, body []byte) error {
	doc, router := loadAPIDoc(t)
	// HEAD is answered by the GET operation, without a body.
	find := req
	if req.Method == http.MethodHead {
		find = req.Clone(context.Background())
		find.Method = http.MethodGet
	}
	route, params, err := router.FindRoute(find)
	if err != nil {
		name, ok := fallbackResponses[status]
		if !ok {
			return fmt.Errorf("no operation in the document (%v), and %d is not an answer it gives every path", err, status)
		}
		ref := doc.Components.Responses[name]
		if ref == nil || ref.Value == nil {
			return fmt.Errorf("the document has no components.responses.%s", name)
		}
		return checkResponse(ref.Value, req.Method, header, body)
	}
	op := route.Operation
	ref := op.Responses.Status(status)
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("status %d is not declared for %s %s", status, route.Method, route.Path)
	}
	if req.Method == http.MethodHead || status == http.StatusNotModified {
		// No body to check, and kin-openapi skips these: check the rest here.
		return checkResponse(ref.Value, req.Method, header, nil)
	}
	// kin-openapi checks the declared headers; the content type and the
	// body are checked below, with validators compiled once per schema.
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, ExcludeResponseBody: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return err
	}
	return checkResponse(ref.Value, req.Method, header, body)
}

// checkResponse checks an answer against a response object: the required
// headers, the content type, and the body against its schema.
func checkResponse(r *openapi3.Response, method string, header http.Header, body []byte) error {
	for name, h := range r.Headers {
		if h.Value != nil && h.Value.Required && header.Get(name) == "" {
			return fmt.Errorf("header %s is missing", name)
		}
	}
	if len(r.Content) == 0 {
		return nil
	}
	ct := header.Get("Content-Type")
	mt := r.Content.Get(ct)
	if mt == nil {
		return fmt.Errorf("content type %q is not declared", ct)
	}
	if method == http.MethodHead || body == nil || mt.Schema == nil {
		return nil
	}
	return validateJSON(mt.Schema, body)
}

// bodySchemas holds the compiled JSON Schema 2020-12 validator of each
// schema of the document that a body was checked against. kin-openapi
// compiles one for every value it checks (some ms each, thousands of
// answers per run); the compiler is the one it uses.
var bodySchemas struct {
	mu       sync.Mutex
	compiled map[*openapi3.SchemaRef]*jsonschema.Schema
}

// validateJSON checks a JSON text against a schema of the document, with
// the JSON Schema 2020-12 rules of OpenAPI 3.1, formats asserted.
func validateJSON(schema *openapi3.SchemaRef, body []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("body is not JSON: %v", err)
	}
	sch, err := compiledSchema(schema)
	if err != nil {
		return err
	}
	if err := sch.Validate(v); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			// Its first line names our synthetic resource: say which schema.
			_, detail, _ := strings.Cut(ve.Error(), "\n")
			name := schema.Ref
			if name == "" {
				name = "the declared schema"
			}
			return fmt.Errorf("body does not match %s:\n%s", name, detail)
		}
		return err
	}
	return nil
}

func compiledSchema(ref *openapi3.SchemaRef) (*jsonschema.Schema, error) {
	bodySchemas.mu.Lock()
	defer bodySchemas.mu.Unlock()
	if sch := bodySchemas.compiled[ref]; sch != nil {
		return sch, nil
	}
	// The schema, with the document's components beside it so that its
	// "#/components/schemas/..." references resolve within one resource.
	raw, err := json.Marshal(ref)
	if err != nil {
		return nil, err
	}
	var root map[string]any
	if err := json.Unmarshal(raw, &root); err != nil {
		return nil, err
	}
	components, err := json.Marshal(apiDoc.doc.Components)
	if err != nil {
		return nil, err
	}
	var c any
	if err := json.Unmarshal(components, &c); err != nil {
		return nil, err
	}
	root["components"] = c
	compiler := jsonschema.NewCompiler()
	compiler.DefaultDraft(jsonschema.Draft2020)
	compiler.AssertFormat()
	const url = "file:///openapi-schema.json"
	if err := compiler.AddResource(url, root); err != nil {
		return nil, err
	}
	sch, err := compiler.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("compile a schema of the document: %w", err)
	}
	if bodySchemas.compiled == nil {
		bodySchemas.compiled = map[*openapi3.SchemaRef]*jsonschema.Schema{}
	}
	bodySchemas.compiled[ref] = sch
	return sch, nil
}

// checkEventStream validates a client event stream: the answer against
// its operation, and the data of each event against its schema (ClientView
// for `update`, StreamGone for `gone`).
func checkEventStream(t testing.TB, res *http.Response, stream []byte) {
	t.Helper()
	checkOpenAPI(t, res, stream)
	if res.StatusCode != http.StatusOK {
		return
	}
	doc, _ := loadAPIDoc(t)
	for _, ev := range sseEvents(stream) {
		name := map[string]string{"update": "ClientView", "gone": "StreamGone"}[ev.name]
		if name == "" {
			t.Errorf("openapi: unknown event %q in the stream", ev.name)
			continue
		}
		if err := validateJSON(doc.Components.Schemas[name], ev.data); err != nil {
			t.Errorf("openapi: the data of a %q event is no %s: %v", ev.name, name, shortError(err))
		}
	}
}

type streamEvent struct {
	name string
	data []byte
}

// sseEvents returns the named events of a stream, with their data
// (comments and retry lines are not events).
func sseEvents(stream []byte) []streamEvent {
	var out []streamEvent
	for _, block := range bytes.Split(stream, []byte("\n\n")) {
		var ev streamEvent
		for _, line := range bytes.Split(block, []byte("\n")) {
			if v, ok := bytes.CutPrefix(line, []byte("event: ")); ok {
				ev.name = string(v)
			}
			if v, ok := bytes.CutPrefix(line, []byte("data: ")); ok {
				ev.data = v
			}
		}
		if ev.name != "" {
			out = append(out, ev)
		}
	}
	return out
}

// shortError keeps a validation error readable: the schema kin-openapi
// prints after each failure is in the document already.
func shortError(err error) string {
	var lines []string
	skip := false
	for _, l := range strings.Split(err.Error(), "\n") {
		switch {
		case strings.HasPrefix(l, "Schema:"):
			skip = true
			continue
		case strings.HasPrefix(l, "Value:"):
			skip = false
		}
		if !skip && strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	s := strings.Join(lines, "\n")
	if len(s) > 2000 {
		s = s[:2000] + "…"
	}
	return s
}

// redactToken shortens the token segment of a client API path.
func redactToken(p string) string {
	const prefix = "/api/client-progress/"
	rest, ok := strings.CutPrefix(p, prefix)
	if !ok || len(rest) < 32 {
		return p
	}
	tok, tail, _ := strings.Cut(rest, "/")
	if len(tok) < 8 {
		return p
	}
	if tail != "" {
		tail = "/" + tail
	}
	return prefix + tok[:4] + "…" + tail
}
