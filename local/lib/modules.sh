# What a module is built from, read from the poms (the reactor's artifactIds are its folders' names), so that a change
# anywhere in it makes what was built from it stale: no hand-kept list of modules, in which a new one is forgotten.
# Used by run-local.sh (the jars it runs) and images/build-images.sh (the images). Needs ROOT.
# shellcheck shell=bash

# module...: the project's modules they build with, themselves included: every <artifactId> of a pom that names a
# folder with a pom.xml, followed to that pom's own; one a line.
module_closure() {
  local queue=("$@") module dependency seen=" "
  while [ ${#queue[@]} -gt 0 ]; do
    module=${queue[0]}
    queue=("${queue[@]:1}")
    [[ $seen != *" $module "* ]] || continue
    seen+="$module "
    echo "$module"
    for dependency in $(sed -n 's|.*<artifactId>\([A-Za-z0-9._-]*\)</artifactId>.*|\1|p' "$ROOT/$module/pom.xml"); do
      [ ! -f "$ROOT/$dependency/pom.xml" ] || queue+=("$dependency")
    done
  done
}

# built module...: whether built (a jar, a stamp) is missing, or older than the root pom or than any source or pom
# of a module the given ones build with.
stale() {
  local built=$1 module paths=("$ROOT/pom.xml")
  shift
  [ -e "$built" ] || return 0
  for module in $(module_closure "$@"); do paths+=("$ROOT/$module/src" "$ROOT/$module/pom.xml"); done
  [ -n "$(find "${paths[@]}" -newer "$built" -print -quit 2>/dev/null)" ]
}

# The modules that ship a container image: those whose pom builds one with Jib (the services; a library or a tool
# does not). images/build-images.sh builds these, so a new service's image is built without a list to edit.
image_modules() {
  local pom
  for pom in "$ROOT"/*/pom.xml; do
    ! grep -q '<artifactId>quarkus-container-image-jib</artifactId>' "$pom" || basename "$(dirname "$pom")"
  done
}
