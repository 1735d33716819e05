// The newest @types/node (installed as the alias @types/node-latest), in
// place of the project's own @types/node 20: what a user on today's Node
// types compiles against.
/// <reference path="../../../../node_modules/@types/node-latest/index.d.ts" />
