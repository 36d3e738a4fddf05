<?php
// A minimal stand-in for the WordPress functions the plugin calls, each following WordPress's
// documented behaviour closely enough for what the plugin relies on (escaping, shortcode
// attribute parsing and defaults, options with their sanitize callback, settings API output,
// enqueued scripts printed in the footer as WordPress 6.3+ prints them). Not WordPress: the
// point is to run the plugin's real code under php-cli in the test suite.

define('ABSPATH', __DIR__ . '/');

$GLOBALS['wp'] = array(
	'options' => array(), 'actions' => array(), 'shortcodes' => array(), 'scripts' => array(),
	'settings' => array(), 'sections' => array(), 'fields' => array(), 'errors' => array(),
	'caps' => array(), 'pages' => array(),
);

function __($text, $domain = 'default') { return $text; }
function esc_html__($text, $domain = 'default') { return esc_html($text); }
function esc_html($text) { return htmlspecialchars((string) $text, ENT_QUOTES, 'UTF-8'); }
function esc_attr($text) { return htmlspecialchars((string) $text, ENT_QUOTES, 'UTF-8'); }
function __return_false() { return false; }
function untrailingslashit($value) { return rtrim($value, '/\\'); }
function wp_parse_url($url, $component = -1) { return parse_url($url, $component); }
/** esc_url_raw: the URL if its scheme is allowed, else '' (WordPress also strips odd characters). */
function esc_url_raw($url, $protocols = null) {
	$url = preg_replace('|[^a-z0-9-~+_.?#=!&;,/:%@$\|*\'()\[\]\\x80-\\xff]|i', '', (string) $url);
	$scheme = strtolower((string) parse_url($url, PHP_URL_SCHEME));
	return in_array($scheme, $protocols ?: array('http', 'https'), true) ? $url : '';
}

function get_option($name, $default = false) { return array_key_exists($name, $GLOBALS['wp']['options']) ? $GLOBALS['wp']['options'][$name] : $default; }
/** update_option runs the setting's sanitize callback, as sanitize_option() does for registered settings. */
function update_option($name, $value) {
	foreach ($GLOBALS['wp']['settings'] as $setting) {
		if ($setting['name'] === $name && isset($setting['args']['sanitize_callback'])) {
			$value = call_user_func($setting['args']['sanitize_callback'], $value);
		}
	}
	$GLOBALS['wp']['options'][$name] = $value;
	return true;
}
function delete_option($name) { unset($GLOBALS['wp']['options'][$name]); return true; }
function current_user_can($cap) { return in_array($cap, $GLOBALS['wp']['caps'], true); }

function add_action($hook, $callback, $priority = 10, $args = 1) { $GLOBALS['wp']['actions'][$hook][] = $callback; return true; }
function do_action($hook, ...$args) { foreach ($GLOBALS['wp']['actions'][$hook] ?? array() as $cb) { call_user_func_array($cb, $args); } }

function add_shortcode($tag, $callback) { $GLOBALS['wp']['shortcodes'][$tag] = $callback; }
/** shortcode_atts: the defaults, overridden by known attributes only. */
function shortcode_atts($pairs, $atts, $shortcode = '') {
	$atts = (array) $atts;
	$out = array();
	foreach ($pairs as $name => $default) { $out[$name] = array_key_exists($name, $atts) ? $atts[$name] : $default; }
	return $out;
}
/** shortcode_parse_atts: name="value", name='value', name=value; names lower-cased. */
function shortcode_parse_atts($text) {
	$atts = array();
	preg_match_all('/([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*\'([^\']*)\'|([\w-]+)\s*=\s*([^\s\'"]+)/', $text, $m, PREG_SET_ORDER);
	foreach ($m as $x) {
		if (!empty($x[1])) { $atts[strtolower($x[1])] = stripcslashes($x[2]); }
		elseif (!empty($x[3])) { $atts[strtolower($x[3])] = stripcslashes($x[4]); }
		else { $atts[strtolower($x[5])] = stripcslashes($x[6]); }
	}
	return $atts;
}
/** do_shortcode for self-closing shortcodes ([tag attr="…"]), the only form the plugin defines. */
function do_shortcode($content) {
	return preg_replace_callback('/\[([\w-]+)([^\]]*)\]/', function ($m) {
		if (!isset($GLOBALS['wp']['shortcodes'][$m[1]])) { return $m[0]; }
		$atts = trim($m[2]) === '' ? '' : shortcode_parse_atts($m[2]);
		return call_user_func($GLOBALS['wp']['shortcodes'][$m[1]], $atts, '', $m[1]);
	}, $content);
}

function wp_enqueue_script($handle, $src = '', $deps = array(), $ver = false, $args = array()) {
	$GLOBALS['wp']['scripts'][$handle] = array('src' => $src, 'ver' => $ver, 'args' => is_array($args) ? $args : array('in_footer' => (bool) $args));
}
/** wp_footer's script tags, as WordPress 6.3+ prints an enqueued script with a loading strategy. */
function wp_print_footer_scripts() {
	foreach ($GLOBALS['wp']['scripts'] as $handle => $s) {
		$src = $s['src'] . ($s['ver'] === null ? '' : (strpos($s['src'], '?') === false ? '?' : '&') . 'ver=' . ($s['ver'] ?: '6.8'));
		$strategy = isset($s['args']['strategy']) ? ' ' . $s['args']['strategy'] . ' data-wp-strategy="' . esc_attr($s['args']['strategy']) . '"' : '';
		echo '<script src="' . esc_attr($src) . '" id="' . esc_attr($handle) . '-js"' . $strategy . "></script>\n";
	}
}

function register_setting($group, $name, $args = array()) { $GLOBALS['wp']['settings'][] = array('group' => $group, 'name' => $name, 'args' => $args); }
function add_settings_section($id, $title, $callback, $page) { $GLOBALS['wp']['sections'][$page][$id] = array('title' => $title, 'callback' => $callback); }
function add_settings_field($id, $title, $callback, $page, $section, $args = array()) { $GLOBALS['wp']['fields'][$page][$section][$id] = array('title' => $title, 'callback' => $callback, 'args' => $args); }
function add_settings_error($setting, $code, $message, $type = 'error') { $GLOBALS['wp']['errors'][] = array('setting' => $setting, 'code' => $code, 'message' => $message, 'type' => $type); }
function settings_errors($setting = '') {
	foreach ($GLOBALS['wp']['errors'] as $e) {
		if ($setting === '' || $e['setting'] === $setting) { echo '<div class="notice notice-' . esc_attr($e['type']) . '"><p>' . esc_html($e['message']) . '</p></div>'; }
	}
}
function settings_fields($group) { echo '<input type="hidden" name="option_page" value="' . esc_attr($group) . '" />'; }
function do_settings_sections($page) {
	foreach ($GLOBALS['wp']['sections'][$page] ?? array() as $id => $section) {
		echo '<h2>' . esc_html($section['title']) . '</h2><table class="form-table" role="presentation">';
		foreach ($GLOBALS['wp']['fields'][$page][$id] ?? array() as $fid => $field) {
			$for = isset($field['args']['label_for']) ? ' for="' . esc_attr($field['args']['label_for']) . '"' : '';
			echo '<tr><th scope="row"><label' . $for . '>' . esc_html($field['title']) . '</label></th><td>';
			call_user_func($field['callback'], $field['args']);
			echo '</td></tr>';
		}
		echo '</table>';
	}
}
function submit_button() { echo '<p class="submit"><input type="submit" name="submit" id="submit" class="button button-primary" value="Save Changes" /></p>'; }
function add_options_page($page_title, $menu_title, $cap, $slug, $callback) { $GLOBALS['wp']['pages'][$slug] = compact('page_title', 'menu_title', 'cap', 'callback'); return 'settings_page_' . $slug; }
