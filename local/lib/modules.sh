# What a module is built from, read from the poms, so that a change anywhere in it makes what was built from it stale:
# no hand-kept list of modules, in which a new one is forgotten. The folder tree says what a module is: services/
# (what deploys: one image each), libs/ (what the services build with), tools/ (what runs locally only); a module's
# folder is named after its artifactId. Used by run-local.sh (the jars it runs) and images/build-images.sh (the
# images). Needs ROOT.
# shellcheck shell=bash

MODULE_GROUPS=(services libs tools)

# artifactId: the module's folder, if the project has a module of that name.
module_dir() {
  local group
  for group in "${MODULE_GROUPS[@]}"; do
    [ ! -f "$ROOT/$group/$1/pom.xml" ] || { echo "$ROOT/$group/$1"; return 0; }
  done
  [ ! -f "$ROOT/$1/pom.xml" ] || { echo "$ROOT/$1"; return 0; }
  return 1
}

# module...: the project's modules they build with, themselves included: every <artifactId> of a pom that names a
# module of the project, followed to that module's own pom; one a line.
module_closure() {
  local queue=("$@") module dependency seen=" " dir
  while [ ${#queue[@]} -gt 0 ]; do
    module=${queue[0]}
    queue=("${queue[@]:1}")
    [[ $seen != *" $module "* ]] || continue
    seen+="$module "
    echo "$module"
    dir=$(module_dir "$module") || continue
    for dependency in $(sed -n 's|.*<artifactId>\([A-Za-z0-9._-]*\)</artifactId>.*|\1|p' "$dir/pom.xml"); do
      ! module_dir "$dependency" >/dev/null || queue+=("$dependency")
    done
  done
}

# built module...: whether built (a jar, a stamp) is missing, or older than the root pom or than any source or pom
# of a module the given ones build with.
stale() {
  local built=$1 module dir paths=("$ROOT/pom.xml")
  shift
  [ -e "$built" ] || return 0
  for module in $(module_closure "$@"); do
    dir=$(module_dir "$module") || continue
    paths+=("$dir/src" "$dir/pom.xml")
  done
  [ -n "$(find "${paths[@]}" -newer "$built" -print -quit 2>/dev/null)" ]
}

# The modules that ship a container image: the services (each builds one with Jib).
image_modules() {
  local pom
  for pom in "$ROOT"/services/*/pom.xml; do
    ! grep -q '<artifactId>quarkus-container-image-jib</artifactId>' "$pom" || basename "$(dirname "$pom")"
  done
}

# module...: the same, as Maven's -pl takes them (:artifactId), comma-separated.
maven_projects() { printf ':%s\n' "$@" | paste -sd, -; }

# Runs task-runner with these arguments, building its jar first when it is missing or stale: new-service.sh and
# rename.sh are task-runner commands a fork runs before it has built anything.
exec_task_runner() { # argument...
  local jar="$ROOT/tools/task-runner/target/task-runner.jar"
  if stale "$jar" task-runner; then
    echo "Building task-runner (./mvnw -q -pl tools/task-runner -am package -DskipTests)…" >&2
    (cd "$ROOT" && ./mvnw -B -q -pl tools/task-runner -am package -DskipTests) >&2
  fi
  exec java -jar "$jar" "$@"
}
